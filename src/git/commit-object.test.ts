import { describe, expect, it } from 'vitest';
import { formatGitDate, parseCommitObject, subjectOf } from './commit-object.js';

const raw = (author: string, message: string) =>
  new TextEncoder().encode(`tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor ${author}\ncommitter C <c@x> 1 +0000\n\n${message}`);

describe('parseCommitObject', () => {
  it('reads author, email, date in the author zone, and the subject', () => {
    const info = parseCommitObject('abc', raw('Zoë Q. <zoe@example.com> 1714557600 +0200', 'Fix: title\n\nBody.\n'));
    expect(info).toEqual({ sha: 'abc', subject: 'Fix: title', authorName: 'Zoë Q.', authorEmail: 'zoe@example.com', date: '2024-05-01T12:00:00+02:00' });
  });

  it('refuses a commit without an author line', () => {
    expect(() => parseCommitObject('abc', new TextEncoder().encode('tree x\n\nmsg'))).toThrow(/author/);
  });
});

describe('subjectOf', () => {
  it('joins the first paragraph like %s', () => {
    expect(subjectOf('\n\nfirst line\nsecond line\n\nbody')).toBe('first line second line');
    expect(subjectOf('')).toBe('');
  });
});

describe('formatGitDate', () => {
  it('formats negative and half-hour zones', () => {
    expect(formatGitDate(0, -330)).toBe('1969-12-31T18:30:00-05:30');
    expect(formatGitDate(1714557600, 0)).toBe('2024-05-01T10:00:00+00:00');
  });
});
