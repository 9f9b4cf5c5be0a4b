import { GUID_RE, type ContentFolder } from './objects.js';

/**
 * The content folder tree of a snapshot (or of a store): each folder's path of code names from
 * its root folder (`events/2026`), and what a `folder:` reference (a guid or such a path) names.
 * Folders whose parent is missing or that sit on a loop have no path; validation reports them.
 */
export interface FolderTree {
  /** A folder by guid. */
  byGuid(guid: string): ContentFolder | undefined;
  /** The folder's path of code names, or undefined when its parent chain is broken or loops. */
  pathOf(guid: string): string | undefined;
  /** The guid a `folder:` value names: the guid itself (when it is a folder) or the folder at that path. */
  resolve(ref: string): string | undefined;
  /** The folders whose parent chains loop, each loop once, in parent order from its first member. */
  loops(): ContentFolder[][];
}

export function folderTree(folders: Iterable<ContentFolder>): FolderTree {
  const byGuid = new Map<string, ContentFolder>();
  for (const f of folders) if (!byGuid.has(f.guid)) byGuid.set(f.guid, f);
  const paths = new Map<string, string | undefined>();
  const onLoop = new Set<string>();
  const pathOf = (guid: string): string | undefined => {
    if (paths.has(guid)) return paths.get(guid);
    // Walk up to a folder with a known path (or a root), then fill the chain down.
    const chain: ContentFolder[] = [];
    const seen = new Set<string>();
    let cur = byGuid.get(guid);
    let base: string | undefined = '';
    while (cur) {
      if (paths.has(cur.guid)) {
        base = paths.get(cur.guid);
        break;
      }
      if (seen.has(cur.guid)) {
        for (const f of chain.slice(chain.findIndex((c) => c.guid === cur!.guid))) onLoop.add(f.guid);
        base = undefined;
        break;
      }
      seen.add(cur.guid);
      chain.push(cur);
      if (cur.parent === undefined) break;
      const parent = byGuid.get(cur.parent);
      if (!parent) {
        base = undefined;
        break;
      }
      cur = parent;
    }
    if (!cur) base = undefined;
    for (let i = chain.length - 1; i >= 0; i--) {
      base = base === undefined ? undefined : base === '' ? chain[i].codeName : `${base}/${chain[i].codeName}`;
      paths.set(chain[i].guid, base);
    }
    return paths.get(guid);
  };
  let byPath: Map<string, string> | undefined;
  return {
    byGuid: (guid) => byGuid.get(guid),
    pathOf,
    resolve(ref) {
      if (GUID_RE.test(ref)) return byGuid.has(ref) ? ref : undefined;
      if (!byPath) {
        byPath = new Map();
        for (const guid of byGuid.keys()) {
          const p = pathOf(guid);
          if (p !== undefined && !byPath.has(p)) byPath.set(p, guid);
        }
      }
      return byPath.get(ref);
    },
    loops() {
      for (const guid of byGuid.keys()) pathOf(guid);
      const out: ContentFolder[][] = [];
      const done = new Set<string>();
      for (const guid of [...onLoop].sort()) {
        if (done.has(guid)) continue;
        const loop: ContentFolder[] = [];
        for (let cur = byGuid.get(guid); cur && !done.has(cur.guid); cur = cur.parent === undefined ? undefined : byGuid.get(cur.parent)) {
          done.add(cur.guid);
          loop.push(cur);
        }
        out.push(loop);
      }
      return out;
    },
  };
}
