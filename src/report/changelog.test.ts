import { describe, expect, it } from 'vitest';
import { representativeChangeset } from '../diff/test-support/representative.js';
import { changelogToJson, renderChangelog } from './changelog.js';

describe('renderChangelog', () => {
  const cs = representativeChangeset();

  it('text: counts per kind and operation, then the objects by kind', async () => {
    const out = renderChangelog(cs, { from: 'v1.0.0', to: 'v1.1.0', format: 'text' });
    expect(out.split('\n')[0]).toBe('Content changes (v1.0.0 → v1.1.0): 2 created, 5 updated, 1 renamed, 1 deleted');
    expect(out).toMatch(/^contentItem\s+1\s+2\s+1\s+1$/m);
    expect(out).toContain('\nContent items\n');
    expect(out).toMatch(/^ {2}~ coffee-origins \(article\): /m);
    await expect(out).toMatchFileSnapshot('../../test/golden/changelog/changelog.txt');
  });

  it('markdown: a table and one list per kind, for GitHub release notes', async () => {
    const out = renderChangelog(cs, { from: 'v1.0.0', to: 'v1.1.0', format: 'markdown' });
    expect(out).toContain('| Kind | Created | Updated | Renamed | Deleted |');
    expect(out).toContain('| Content items | 1 | 2 | 1 | 1 |');
    expect(out).toContain('### Content items');
    await expect(out).toMatchFileSnapshot('../../test/golden/changelog/changelog.md');
  });

  it('json: a versioned shape with every change', async () => {
    const json = changelogToJson(cs, { from: 'v1.0.0', to: 'v1.1.0' });
    expect(json.formatVersion).toBe(1);
    expect((json.changes as unknown[]).length).toBe(cs.changes.length);
    expect(json.totals).toEqual({ create: 2, update: 5, rename: 1, delete: 1 });
    await expect(renderChangelog(cs, { from: 'v1.0.0', to: 'v1.1.0', format: 'json' })).toMatchFileSnapshot('../../test/golden/changelog/changelog.json');
  });

  it('says when nothing changed, and reads a first release as everything up to the tag', () => {
    expect(renderChangelog({ changes: [] }, { from: 'v1.0.0', to: 'v1.0.1', format: 'markdown' })).toContain('No content changes.');
    expect(renderChangelog({ changes: [] }, { to: 'v0.0.1', format: 'text' })).toBe('Content changes (everything up to v0.0.1): no changes\n');
  });

  it('is deterministic', () => {
    expect(renderChangelog(representativeChangeset(), { format: 'markdown' })).toBe(renderChangelog(representativeChangeset(), { format: 'markdown' }));
  });
});
