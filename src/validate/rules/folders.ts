import { FerryError } from '../../errors/index.js';
import { objectPath } from '../../format/layout.js';
import { folderTree, type FolderTree } from '../../model/folders.js';
import { GUID_RE, type ContentFolder, type ContentItem, type FerryObject } from '../../model/objects.js';
import type { SnapshotEntry } from '../../model/snapshot.js';
import { KIND_LABEL, type ValidationContext } from '../context.js';

/**
 * The content folder tree: each folder's workspace exists, its parent is a content folder of the
 * same workspace, parents never loop, and its file sits at `items/<folder path>/_folder.yaml`.
 * Each item in a folder names one that exists (by guid or code-name path), of the item's own
 * workspace, and sits beside that folder's file. An item left in a folder that is gone is how a
 * commit deleting a non-empty folder is refused.
 */
export function checkFolders(ctx: ValidationContext): void {
  const folders = ctx.entriesOf('contentFolder');
  // A repository that leaves content folders out (config `kinds`) leaves them to the target.
  const items = ctx.holds('contentFolder') ? ctx.scopedEntriesOf('contentItem').filter((e) => e.object.folder !== undefined) : [];
  if (!folders.length && !items.length) return;
  const tree = folderTree(folders.map((e) => e.object));
  const onLoop = new Set<string>();
  for (const loop of tree.loops()) {
    for (let i = 0; i < loop.length; i++) {
      const names = [...loop.slice(i), ...loop.slice(0, i), loop[i]].map((f) => f.codeName);
      const entry = folders.find((e) => e.key === loop[i].guid);
      onLoop.add(loop[i].guid);
      if (entry) ctx.report(entry, 'FERRY_E_FOLDER_TREE', `content folders form a loop through their parents: ${names.join(' -> ')}`, '/parent');
    }
  }
  for (const entry of folders) checkFolder(ctx, tree, entry, onLoop);
  for (const entry of items) checkItemFolder(ctx, tree, entry);
}

function checkFolder(ctx: ValidationContext, tree: FolderTree, entry: SnapshotEntry<ContentFolder>, onLoop: ReadonlySet<string>): void {
  const f = entry.object;
  if (ctx.holds('workspace') && !ctx.byName('workspace', f.workspace)) {
    ctx.report(entry, 'FERRY_E_REFERENCE', `workspace: workspace \`${f.workspace}\` does not exist`, '/workspace');
  }
  if (onLoop.has(f.guid)) return;
  if (f.parent !== undefined) {
    const target = ctx.snapshot.entries.get(f.parent);
    if (!target) {
      ctx.report(entry, 'FERRY_E_FOLDER_TREE', `parent: content folder ${f.parent} does not exist`, '/parent');
      return;
    }
    if (target.object.kind !== 'contentFolder') {
      ctx.report(entry, 'FERRY_E_FOLDER_TREE', `parent: ${f.parent} is ${KIND_LABEL[target.kind]} ${target.codeName}, not a content folder`, '/parent');
      return;
    }
    if (target.object.workspace !== f.workspace) {
      ctx.report(entry, 'FERRY_E_FOLDER_TREE', `parent: content folder ${target.codeName} is in workspace ${target.object.workspace}, not ${f.workspace}`, '/workspace');
    }
  }
  checkPath(ctx, tree, entry, '/parent');
}

function checkItemFolder(ctx: ValidationContext, tree: FolderTree, entry: SnapshotEntry<ContentItem>): void {
  const item = entry.object;
  const ref = item.folder as string;
  const guid = tree.resolve(ref);
  if (guid === undefined) {
    // A path through a folder on a loop or below a broken parent: that folder is reported.
    const last = ref.slice(ref.lastIndexOf('/') + 1);
    const named = ctx.byName('contentFolder', last);
    if (!GUID_RE.test(ref) && named && tree.pathOf(named.key) === undefined) return;
    const known = ctx.snapshot.entries.get(ref);
    const message = known
      ? `folder: ${ref} is ${KIND_LABEL[known.kind]} ${known.codeName}, not a content folder`
      : `folder: content folder \`${ref}\` does not exist (a folder that still holds items cannot be deleted)`;
    ctx.report(entry, known ? 'FERRY_E_FOLDER_TREE' : 'FERRY_E_REFERENCE', message, '/folder');
    return;
  }
  // A folder on a loop or below a broken parent is reported as such; its items wait for it.
  if (tree.pathOf(guid) === undefined) return;
  const folder = tree.byGuid(guid)!;
  if (folder.workspace !== item.workspace) {
    ctx.report(entry, 'FERRY_E_FOLDER_TREE', `folder: content folder ${folder.codeName} is in workspace ${folder.workspace}, not ${item.workspace}`, '/workspace');
  }
  checkPath(ctx, tree, entry, '/folder');
}

/** The file sits where the folder tree puts it. */
function checkPath(ctx: ValidationContext, tree: FolderTree, entry: SnapshotEntry, pointer: string): void {
  const expected = expectedPath(entry.object, ctx.config.folder, tree);
  if (expected === undefined || expected === entry.path) return;
  ctx.report(entry, 'FERRY_E_PATH', `the file's path does not match its place in the content folder tree: it belongs at \`${expected}\``, pointer);
}

function expectedPath(o: FerryObject, folder: string, tree: FolderTree): string | undefined {
  try {
    return objectPath(o, folder, (ref) => {
      const guid = tree.resolve(ref);
      return guid === undefined ? undefined : tree.pathOf(guid);
    });
  } catch (e) {
    // A broken chain is reported above.
    if (e instanceof FerryError) return undefined;
    throw e;
  }
}
