import { describe, expect, it } from 'vitest';
import type { ContentItem } from '../../model/objects.js';
import { validateBuilder } from '../test-support/run.js';
import { SnapshotBuilder } from '../test-support/snapshot-builder.js';

describe('duplicates rule', () => {
  it('reports two files with one guid, each naming the other', () => {
    const b = new SnapshotBuilder().item('espresso');
    const copy = { ...(b.entry('contentItem', 'espresso').object as ContentItem), codeName: 'espresso-copy' };
    b.add(copy);
    const out = validateBuilder(b);
    expect(out).toHaveLength(2);
    expect(out.map((d) => d.code)).toEqual(['FERRY_E_DUPLICATE', 'FERRY_E_DUPLICATE']);
    expect(out[0]).toMatchObject({ file: 'content/items/article/espresso-copy.yaml', pointer: '/guid' });
    expect(out[0].message).toContain(`guid ${b.guid('contentItem', 'espresso')} is also defined in content/items/article/espresso.yaml`);
    expect(out[1].file).toBe('content/items/article/espresso.yaml');
    expect(out[1].message).toContain('content/items/article/espresso-copy.yaml');
    expect(out[1].object).toEqual({ kind: 'contentItem', guid: b.guid('contentItem', 'espresso'), codeName: 'espresso' });
  });

  it('needs allEntries to see duplicate guids (the snapshot keeps one per key)', () => {
    const b = new SnapshotBuilder().item('espresso');
    b.add({ ...(b.entry('contentItem', 'espresso').object as ContentItem), codeName: 'espresso-copy' });
    expect(validateBuilder(b, {}, { allEntries: undefined })).toEqual([]);
  });

  it('reports two objects of one kind with one code name, naming both files', () => {
    const b = new SnapshotBuilder().item('espresso');
    b.add({ ...(b.entry('contentItem', 'espresso').object as ContentItem), guid: b.guid('contentItem', 'other') }, 'content/items/news/espresso.yaml');
    const out = validateBuilder(b);
    expect(out.map((d) => [d.code, d.file])).toEqual([
      ['FERRY_E_DUPLICATE', 'content/items/article/espresso.yaml'],
      ['FERRY_E_DUPLICATE', 'content/items/news/espresso.yaml'],
    ]);
    expect(out[0].message).toContain('content item code name espresso is also used by content/items/news/espresso.yaml');
    expect(out[1].message).toContain('content/items/article/espresso.yaml');
  });

  it('allows one code name in two different kinds', () => {
    const b = new SnapshotBuilder().item('home').page('home');
    expect(validateBuilder(b)).toEqual([]);
  });

  it('reports a language defined twice', () => {
    const b = new SnapshotBuilder();
    b.add({ kind: 'language', codeName: 'en-US', displayName: 'English again', isDefault: false }, 'content/languages/en-US.yml');
    const out = validateBuilder(b);
    expect(out.map((d) => d.code)).toEqual(['FERRY_E_DUPLICATE', 'FERRY_E_DUPLICATE']);
    expect(out[0].message).toContain('language en-US is also defined in content/languages/en-US.yml');
  });
});
