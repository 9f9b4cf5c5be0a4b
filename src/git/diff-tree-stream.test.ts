import { describe, expect, it } from 'vitest';
import { DiffTreeStream, parseDiffTree } from './plumbing-git.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const Z = '0'.repeat(40);
// git diff-tree -r -z output: `:meta NUL path NUL` records; paths may hold any byte but NUL.
const OUTPUT = [
  `:100644 100644 ${A} ${B} M\0content/items/article/a.yaml\0`,
  `:000000 100644 ${Z} ${B} A\0content/items/news/caf\u00e9 \u{1F600}.yaml\0`,
  `:100644 000000 ${A} ${Z} D\0content/items/article/b.yaml\0`,
  `:100644 100644 ${A} ${B} M\0other/outside.txt\0`,
].join('');

describe('DiffTreeStream', () => {
  it('parses output split at any byte, even inside a UTF-8 character, like the whole output at once', () => {
    const bytes = Buffer.from(OUTPUT, 'utf8');
    const whole = parseDiffTree(OUTPUT, 'content');
    expect(whole.map((e) => e.path)).toEqual(['content/items/article/a.yaml', 'content/items/article/b.yaml', 'content/items/news/caf\u00e9 \u{1F600}.yaml']);
    for (let cut = 1; cut < bytes.length; cut++) {
      const s = new DiffTreeStream('content');
      const seen = [...s.push(bytes.subarray(0, cut)), ...s.push(bytes.subarray(cut))];
      const all = s.end();
      expect(seen).toEqual(all);
      expect([...all].sort((x, y) => (x.path < y.path ? -1 : 1))).toEqual(whole);
    }
  });

  it('returns records as soon as a chunk completes them', () => {
    const s = new DiffTreeStream('');
    const bytes = Buffer.from(OUTPUT, 'utf8');
    const firstEnd = bytes.indexOf(0, bytes.indexOf(0) + 1) + 1;
    expect(s.push(bytes.subarray(0, firstEnd)).map((e) => e.path)).toEqual(['content/items/article/a.yaml']);
    expect(s.push(bytes.subarray(firstEnd, firstEnd + 5))).toEqual([]);
  });
});
