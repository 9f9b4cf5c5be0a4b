import { describe, expect, it } from 'vitest';
import { diffSnapshots } from '../diff/index.js';
import { largeChangeset, representativeChangeset } from '../diff/test-support/representative.js';
import { edit, item, snapshotOf, variant } from '../diff/test-support/builders.js';
import { renderChangesetMarkdown } from './changeset-markdown.js';

function oneItemChange(before: Record<string, unknown>, after: Record<string, unknown>) {
  const a = item(1, 'x', 'article', { 'en-US': variant('X', before) });
  const b = edit(a, (o) => (o.variants['en-US'].fields = after));
  return diffSnapshots(snapshotOf([a]), snapshotOf([b]));
}

function fencesBalanced(md: string): boolean {
  return (md.match(/^`{3,}/gm) ?? []).length % 2 === 0;
}

describe('renderChangesetMarkdown', () => {
  it('is deterministic', () => {
    expect(renderChangesetMarkdown(representativeChangeset()).markdown).toBe(renderChangesetMarkdown(representativeChangeset()).markdown);
  });

  it('says so when nothing changed', () => {
    const r = renderChangesetMarkdown({ changes: [] }, { title: 'Diff' });
    expect(r).toEqual({ markdown: '### Diff\n\nNo content changes.\n', truncated: false, omittedObjects: 0 });
  });

  it('escapes pipes, backticks and newlines in table cells and truncates long values', () => {
    const cs = oneItemChange(
      { a: 'x | y', b: 'has `tick`', c: { k: 'one\ntwo' }, d: { k: 'z'.repeat(100) } },
      { a: 'x', b: 'no tick', c: {}, d: { k: 'short' } },
    );
    const md = renderChangesetMarkdown(cs).markdown;
    expect(md).toContain('| `fields.a` | en-US | `x \\| y` | `x` |');
    // A longer delimiter and inner spaces (stripped by CommonMark) keep the backticks literal.
    expect(md).toContain('| `fields.b` | en-US | `` has `tick` `` | `no tick` |');
    expect(md).toContain('`{"k":"one\\ntwo"}`');
    // Values longer than 80 characters end in an ellipsis at 80.
    expect(md).toContain(`| \`{"k":"${'z'.repeat(73)}…\` | \`{"k":"short"}\` |`);
    for (const row of md.split('\n').filter((l) => l.startsWith('| `fields'))) {
      expect(row.replace(/\\\|/g, '').split('|')).toHaveLength(6);
    }
  });

  it('renders a long single-line string as a diff, not a truncated cell', () => {
    const md = renderChangesetMarkdown(oneItemChange({ t: 'y'.repeat(90) }, { t: 'y'.repeat(91) })).markdown;
    expect(md).not.toContain('| Field |');
    expect(md).toContain(`\`fields.t\` · en-US (changed):\n\n\`\`\`diff\n@@ -1,1 +1,1 @@\n-${'y'.repeat(90)}\n`);
  });

  it('renders multi-line text as a diff block, folded when long, with a fence the text cannot close', () => {
    const short = renderChangesetMarkdown(oneItemChange({ body: 'a\n```\nb\n' }, { body: 'a\n```\nc\n' })).markdown;
    expect(short).toContain('````diff\n@@ -1,3 +1,3 @@\n a\n ```\n-b\n+c\n````');
    expect(short).not.toContain('<details>');
    const lines = (n: number, changedFrom: number) => Array.from({ length: n }, (_, i) => (i >= changedFrom ? `new ${i}` : `old ${i}`)).join('\n');
    const long = renderChangesetMarkdown(oneItemChange({ body: lines(30, 30) }, { body: lines(30, 10) })).markdown;
    expect(long).toMatch(/<details><summary><code>fields\.body<\/code> · en-US \(changed, \d+ diff lines\)<\/summary>\n\n```diff\n/);
    expect(long).toContain('```\n\n</details>');
  });

  it('caps a very long diff and says how many lines it left out', () => {
    const body = (tag: string) => Array.from({ length: 500 }, (_, i) => `${tag} ${i}\n`).join('');
    const md = renderChangesetMarkdown(oneItemChange({ body: body('a') }, { body: body('b') }), { maxDiffLines: 50 }).markdown;
    expect(md).toContain('_951 more diff lines not shown._');
    expect(md.split('\n').filter((l) => /^[-+][ab] /.test(l))).toHaveLength(49);
  });

  it('shows added and removed values and created objects briefly', () => {
    const md = renderChangesetMarkdown(representativeChangeset()).markdown;
    expect(md).toContain('| `variant` | fr-FR | — | `draft · "Origines du café" · 1 field` |');
    expect(md).toContain('- **Languages:** en-US published "Cold brew", es-ES draft "Café frío"');
    expect(md).toContain('renamed from `tips` (`content/items/article/tips.yaml`)');
    expect(md).toContain('#### 🗑️ Deleted contentItem `old-news`');
  });

  it('stays under the comment limit for 2,000 objects, states how many it left out, and never cuts a section', () => {
    const cs = largeChangeset(2000);
    expect(cs.changes).toHaveLength(2000);
    const r = renderChangesetMarkdown(cs, { reportHint: 'Download the `ferry-diff` artifact.' });
    expect(r.truncated).toBe(true);
    expect(r.markdown.length).toBeLessThanOrEqual(65_000);
    expect(r.markdown.length).toBeGreaterThan(60_000);
    const shown = (r.markdown.match(/^#### /gm) ?? []).length;
    expect(shown).toBeGreaterThan(0);
    expect(shown + r.omittedObjects).toBe(2000);
    expect(r.markdown.endsWith(`> **${r.omittedObjects} more objects not shown** — the full report is in the job artifact / \`--out FILE\`. Download the \`ferry-diff\` artifact.\n`)).toBe(true);
    expect(fencesBalanced(r.markdown)).toBe(true);
    // The last section shown is complete: its diff block is closed before the note.
    expect(r.markdown).toMatch(/```\n\n> \*\*\d+ more objects not shown/);
    // The summary table still counts everything.
    expect(r.markdown).toContain('| contentItem | 0 | 2000 | 0 | 0 |');
  });

  it('renders everything when the budget is unlimited (the --out FILE report)', () => {
    const r = renderChangesetMarkdown(largeChangeset(300), { maxLength: Infinity });
    expect(r.truncated).toBe(false);
    expect(r.omittedObjects).toBe(0);
    expect((r.markdown.match(/^#### /gm) ?? []).length).toBe(300);
    expect(r.markdown).not.toContain('not shown');
  });

  it('respects a small budget exactly', () => {
    const cs = representativeChangeset();
    const full = renderChangesetMarkdown(cs, { maxLength: Infinity }).markdown;
    for (const max of [600, 1500, 2500, full.length - 1]) {
      const r = renderChangesetMarkdown(cs, { maxLength: max });
      expect(r.markdown.length).toBeLessThanOrEqual(max);
      expect(r.truncated).toBe(true);
      expect(fencesBalanced(r.markdown)).toBe(true);
    }
    expect(renderChangesetMarkdown(cs, { maxLength: full.length }).truncated).toBe(false);
  });
});
