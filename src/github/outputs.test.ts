import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatOutputs, setOutputs } from './outputs.js';
import { appendStepSummary } from './summary.js';

const dir = mkdtempSync(join(tmpdir(), 'ferry-gh-outputs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('step outputs', () => {
  it('writes name=value lines, with empty strings for missing values', () => {
    expect(formatOutputs({ a: 'x', n: 3, b: false, none: undefined, nil: null })).toBe('a=x\nn=3\nb=false\nnone=\nnil=\n');
  });

  it('writes multi-line values in the heredoc form with a delimiter absent from the value', () => {
    const delimiters = ['ferry_1', 'ferry_2'];
    const text = formatOutputs({ notes: 'line 1\nferry_1\nline 3' }, () => delimiters.shift()!);
    expect(text).toBe('notes<<ferry_2\nline 1\nferry_1\nline 3\nferry_2\n');
  });

  it('refuses a name Actions would not accept', () => {
    expect(() => formatOutputs({ 'bad name': 'x' })).toThrow(/invalid output name/);
  });

  it('appends to $GITHUB_OUTPUT only inside Actions', () => {
    const file = join(dir, 'out.txt');
    writeFileSync(file, 'before=1\n');
    expect(setOutputs({ GITHUB_OUTPUT: file }, { a: 1 })).toBe(false);
    expect(setOutputs({ GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: file }, { a: 1 })).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('before=1\na=1\n');
  });

  it('appends Markdown to the job summary inside Actions', () => {
    const file = join(dir, 'summary.md');
    expect(appendStepSummary({ GITHUB_ACTIONS: 'true' }, '# x')).toBe(false);
    expect(appendStepSummary({ GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: file }, '# one')).toBe(true);
    appendStepSummary({ GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: file }, '# two\n');
    expect(readFileSync(file, 'utf8')).toBe('# one\n\n# two\n\n');
  });
});
