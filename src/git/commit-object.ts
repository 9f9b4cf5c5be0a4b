import type { CommitInfo } from './git-port.js';
import { gitError } from './errors.js';

/**
 * Reads the metadata Ferry shows from a raw commit object (`git cat-file commit`), so both adapters
 * format subjects and dates identically, the way `git log --format=%s/%aI` does.
 */
export function parseCommitObject(sha: string, raw: Uint8Array): CommitInfo {
  const text = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('utf8');
  const headerEnd = text.indexOf('\n\n');
  const header = headerEnd === -1 ? text : text.slice(0, headerEnd);
  const message = headerEnd === -1 ? '' : text.slice(headerEnd + 2);
  const authorLine = header.split('\n').find((l) => l.startsWith('author '));
  const m = authorLine && /^author (.*) <([^>]*)> (\d+) ([+-])(\d{2})(\d{2})$/.exec(authorLine);
  if (!m) throw gitError(`commit ${sha} has no readable author line`, { sha });
  const [, name, email, seconds, sign, hh, mm] = m;
  const offsetMinutes = (sign === '-' ? -1 : 1) * (Number(hh) * 60 + Number(mm));
  return { sha, subject: subjectOf(message), authorName: name, authorEmail: email, date: formatGitDate(Number(seconds), offsetMinutes) };
}

/** `%s`: the first paragraph, its lines joined by single spaces. */
export function subjectOf(message: string): string {
  const lines = message.replace(/\r\n/g, '\n').split('\n');
  let i = 0;
  while (i < lines.length && lines[i].trim() === '') i++;
  const para: string[] = [];
  for (; i < lines.length && lines[i].trim() !== ''; i++) para.push(lines[i].trim());
  return para.join(' ');
}

/** `%aI`: strict ISO 8601 in the author's own zone, e.g. `2024-05-01T10:00:00+02:00`. */
export function formatGitDate(epochSeconds: number, offsetMinutes: number): string {
  const local = new Date((epochSeconds + offsetMinutes * 60) * 1000).toISOString().slice(0, 19);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${local}${zone}`;
}
