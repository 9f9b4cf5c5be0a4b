import { describe, expect, it } from 'vitest';
import { validateBuilder } from '../test-support/run.js';
import { SnapshotBuilder } from '../test-support/snapshot-builder.js';

/** Root folder `events`, `2026` below it, and item `keynote` in `2026`. */
function tree(): SnapshotBuilder {
  const b = new SnapshotBuilder().contentFolder('events');
  b.contentFolder('2026', { parent: b.guid('contentFolder', 'events') });
  return b.item('keynote', { folder: b.guid('contentFolder', '2026') });
}

describe('content folder rule', () => {
  it('accepts nested folders, an item by folder guid and one by code-name path, each beside its folder file', () => {
    const b = tree().item('opening', { folder: 'events/2026' });
    expect(b.entry('contentFolder', '2026').path).toBe('content/items/events/2026/_folder.yaml');
    expect(b.entry('contentItem', 'keynote').path).toBe('content/items/events/2026/keynote.yaml');
    expect(b.entry('contentItem', 'opening').path).toBe('content/items/events/2026/opening.yaml');
    expect(validateBuilder(b)).toEqual([]);
  });

  it('refuses a cyclic folder tree, naming the loop on each folder in it', () => {
    const only = new SnapshotBuilder();
    only.contentFolder('a', { parent: only.guid('contentFolder', 'b') }).contentFolder('b', { parent: only.guid('contentFolder', 'a') });
    // The builder cannot place folders on a loop; give them the paths a person would have.
    const snapshot = only.build();
    const a = snapshot.entries.get(only.guid('contentFolder', 'a'))!;
    const bb = snapshot.entries.get(only.guid('contentFolder', 'b'))!;
    expect(a.path).toBe('content/contentFolder/a.yaml');
    const fixed = new SnapshotBuilder().add(a.object, 'content/items/b/a/_folder.yaml').add(bb.object, 'content/items/a/b/_folder.yaml');
    const out = validateBuilder(fixed).filter((d) => d.code === 'FERRY_E_FOLDER_TREE');
    expect(out.map((d) => [d.file, d.pointer, d.message])).toEqual([
      ['content/items/a/b/_folder.yaml', '/parent', 'content folders form a loop through their parents: b -> a -> b'],
      ['content/items/b/a/_folder.yaml', '/parent', 'content folders form a loop through their parents: a -> b -> a'],
    ]);
    expect(out[0].object).toMatchObject({ kind: 'contentFolder', codeName: 'b' });
  });

  it('refuses a missing parent, a parent that is not a folder, and a parent of another workspace', () => {
    const missing = '3f0c8a52-5b1e-4c3e-9a57-0d6f7c1e2b10';
    const b = new SnapshotBuilder().workspace('marketing').item('espresso').contentFolder('root', { workspace: 'marketing' });
    b.add({ kind: 'contentFolder', guid: b.guid('contentFolder', 'lost'), codeName: 'lost', displayName: 'Lost', workspace: 'editorial', parent: missing }, 'content/items/x/lost/_folder.yaml');
    b.add({ kind: 'contentFolder', guid: b.guid('contentFolder', 'odd'), codeName: 'odd', displayName: 'Odd', workspace: 'editorial', parent: b.guid('contentItem', 'espresso') }, 'content/items/espresso/odd/_folder.yaml');
    b.contentFolder('mixed', { parent: b.guid('contentFolder', 'root') });
    const out = validateBuilder(b).map((d) => [d.code, d.file, d.pointer, d.message]);
    expect(out).toEqual([
      ['FERRY_E_FOLDER_TREE', 'content/items/espresso/odd/_folder.yaml', '/parent', `parent: ${b.guid('contentItem', 'espresso')} is content item espresso, not a content folder`],
      ['FERRY_E_FOLDER_TREE', 'content/items/root/mixed/_folder.yaml', '/workspace', 'parent: content folder root is in workspace marketing, not editorial'],
      ['FERRY_E_FOLDER_TREE', 'content/items/x/lost/_folder.yaml', '/parent', `parent: content folder ${missing} does not exist`],
    ]);
  });

  it('refuses an item whose folder is gone (deleting a non-empty folder), and one in a folder of another workspace', () => {
    const b = tree().workspace('marketing');
    b.add({ ...(b.entry('contentItem', 'keynote').object as object), codeName: 'promo', guid: b.guid('contentItem', 'promo'), workspace: 'marketing' } as never);
    const gone = tree().remove('contentFolder', '2026');
    const goneOut = validateBuilder(gone, {}, {});
    // (The builder places an item whose folder is unknown at a fallback path; the finding is the reference.)
    expect(goneOut.filter((d) => d.code === 'FERRY_E_REFERENCE').map((d) => [d.pointer, d.message])).toEqual([
      ['/folder', `folder: content folder \`${b.guid('contentFolder', '2026')}\` does not exist (a folder that still holds items cannot be deleted)`],
    ]);
    const out = validateBuilder(b).map((d) => [d.code, d.file, d.pointer, d.message]);
    expect(out).toEqual([['FERRY_E_FOLDER_TREE', 'content/items/events/2026/promo.yaml', '/workspace', 'folder: content folder 2026 is in workspace editorial, not marketing']]);
  });

  it('refuses an unknown folder path, and a folder given as a guid of something else', () => {
    const b = tree().item('stray', { folder: 'events/2025' });
    b.add({ ...(b.entry('contentItem', 'keynote').object as object), codeName: 'odd', guid: b.guid('contentItem', 'odd'), folder: b.guid('contentItem', 'keynote') } as never, 'content/items/events/odd.yaml');
    const out = validateBuilder(b).map((d) => [d.code, d.pointer, d.message]);
    expect(out).toEqual([
      ['FERRY_E_REFERENCE', '/folder', 'folder: content folder `events/2025` does not exist (a folder that still holds items cannot be deleted)'],
      ['FERRY_E_FOLDER_TREE', '/folder', `folder: ${b.guid('contentItem', 'keynote')} is content item keynote, not a content folder`],
    ]);
  });

  it('refuses files that do not mirror the folder tree: a folder moved without its files', () => {
    // `2026` moved below `archive`, but its own file and its item stayed in items/events/2026/.
    const b = tree().contentFolder('archive');
    const moved = { ...(b.entry('contentFolder', '2026').object as object), parent: b.guid('contentFolder', 'archive') };
    const keynote = b.entry('contentItem', 'keynote').object;
    const stale = new SnapshotBuilder().contentFolder('events').contentFolder('archive').add(moved as never, 'content/items/events/2026/_folder.yaml').add(keynote, 'content/items/events/2026/keynote.yaml');
    const out = validateBuilder(stale).map((d) => [d.code, d.file, d.pointer, d.message]);
    expect(out).toEqual([
      ['FERRY_E_PATH', 'content/items/events/2026/_folder.yaml', '/parent', "the file's path does not match its place in the content folder tree: it belongs at `content/items/archive/2026/_folder.yaml`"],
      ['FERRY_E_PATH', 'content/items/events/2026/keynote.yaml', '/folder', "the file's path does not match its place in the content folder tree: it belongs at `content/items/archive/2026/keynote.yaml`"],
    ]);
  });

  it('refuses a folder whose workspace does not exist', () => {
    const out = validateBuilder(new SnapshotBuilder().contentFolder('x', { workspace: 'nowhere' }));
    expect(out.map((d) => [d.code, d.pointer, d.message])).toEqual([['FERRY_E_REFERENCE', '/workspace', 'workspace: workspace `nowhere` does not exist']]);
  });
});
