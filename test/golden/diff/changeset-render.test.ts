// Golden files for the changeset renderers. Update them with `npx vitest run test/golden/diff -u`
// and review the diff of the .txt/.md/.json files like any other change.
import { describe, expect, it } from 'vitest';
import { representativeChangeset } from '../../../src/diff/test-support/representative.js';
import { renderChangesetJson } from '../../../src/report/changeset-json.js';
import { renderChangesetMarkdown } from '../../../src/report/changeset-markdown.js';
import { renderChangesetText } from '../../../src/report/changeset-text.js';

describe('changeset golden files', () => {
  const cs = representativeChangeset();

  it('text', async () => {
    await expect(renderChangesetText(cs, { color: false })).toMatchFileSnapshot('./changeset.txt');
  });

  it('text --stat', async () => {
    await expect(renderChangesetText(cs, { color: false, stat: true })).toMatchFileSnapshot('./changeset-stat.txt');
  });

  it('markdown', async () => {
    const r = renderChangesetMarkdown(cs);
    expect(r.truncated).toBe(false);
    await expect(r.markdown).toMatchFileSnapshot('./changeset.md');
  });

  it('json', async () => {
    await expect(renderChangesetJson(cs)).toMatchFileSnapshot('./changeset.json');
  });
});
