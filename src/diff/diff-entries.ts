import type { Change, Changeset, RenameChange, Snapshot, SnapshotEntry, UpdateChange } from '../model/index.js';
import { compareCodePoints } from '../model/index.js';
import { diffObjects } from './diff-objects.js';
import { type CompiledFilter, type DiffFilter, compileFilter, entryPasses, narrowToLanguages } from './filter.js';
import { compareChanges } from './order.js';

export interface DiffOptions extends DiffFilter {
  /** Labels of the two sides (commits, refs), copied into the changeset. */
  base?: string;
  head?: string;
}

/**
 * The changeset between two whole snapshots, object by object (by key: guid, or `language:<code>`).
 * Labels default to the snapshots' commits.
 */
export function diffSnapshots(base: Snapshot, head: Snapshot, opts: DiffOptions = {}): Changeset {
  const filter = compileFilter(opts);
  const changes: Change[] = [];
  // Keys are unique in a snapshot, so pairing is a map lookup; this is the hot loop of a full diff.
  for (const [key, b] of base.entries) {
    const h = head.entries.get(key);
    if (h) pairChanges(b, h, filter, changes);
    else if (entryPasses(filter, b.kind, [b])) keep(changes, deleteOf(b), filter);
  }
  for (const [key, h] of head.entries) {
    if (!base.entries.has(key) && entryPasses(filter, h.kind, [h])) keep(changes, createOf(h), filter);
  }
  return finish(changes, opts.base ?? base.commit, opts.head ?? head.commit);
}

/**
 * The changeset over partial snapshots: only the entries decoded from the files a tree diff
 * reports (old blobs of modified and deleted paths, new blobs of added and modified paths).
 * Entries are paired by key, so a file moved from path A to path B with the same guid is one
 * rename, not a delete plus a create. A key may appear more than once on a side (a duplicate
 * guid, which validation reports): same paths pair first, then the rest in path order.
 */
export function diffEntries(baseEntries: Iterable<SnapshotEntry>, headEntries: Iterable<SnapshotEntry>, opts: DiffOptions = {}): Changeset {
  const filter = compileFilter(opts);
  const baseByKey = groupByKey(baseEntries);
  const headByKey = groupByKey(headEntries);
  const changes: Change[] = [];
  for (const [key, bs] of baseByKey) {
    const hs = headByKey.get(key) ?? [];
    const { pairs, deleted, created } = pairGroup(bs, hs);
    for (const [b, h] of pairs) pairChanges(b, h, filter, changes);
    for (const b of deleted) if (entryPasses(filter, b.kind, [b])) keep(changes, deleteOf(b), filter);
    for (const h of created) if (entryPasses(filter, h.kind, [h])) keep(changes, createOf(h), filter);
  }
  for (const [key, hs] of headByKey) {
    if (baseByKey.has(key)) continue;
    for (const h of hs) if (entryPasses(filter, h.kind, [h])) keep(changes, createOf(h), filter);
  }
  return finish(changes, opts.base, opts.head);
}

/** Two entries with the same key: nothing, an update, a rename, or (kind changed) delete + create. */
function pairChanges(b: SnapshotEntry, h: SnapshotEntry, filter: CompiledFilter, out: Change[]): void {
  if (b.kind !== h.kind) {
    if (entryPasses(filter, b.kind, [b])) keep(out, deleteOf(b), filter);
    if (entryPasses(filter, h.kind, [h])) keep(out, createOf(h), filter);
    return;
  }
  // Equal blob ids mean equal bytes: never parse-compare them (nor filter what cannot change).
  if (b.hash === h.hash && b.path === h.path && b.codeName === h.codeName) return;
  if (!entryPasses(filter, h.kind, [b, h])) return;
  const change = changeBetween(b, h);
  if (change) keep(out, change, filter);
}

/**
 * The change between two versions of one object (same key, same kind), by the rules every
 * changeset follows: none when bytes and place are equal, or when only the bytes differ with no
 * field change (formatting, comments); a rename when the path or code name moved (with any field
 * changes); else an update with its field changes. Deploy plans take their changes from it too
 * (plan/plan-deploy.ts), so a plan and the PR diff say the same of the same two versions.
 */
export function changeBetween(b: SnapshotEntry, h: SnapshotEntry): UpdateChange | RenameChange | undefined {
  const samePlace = b.path === h.path && b.codeName === h.codeName;
  if (b.hash === h.hash && samePlace) return undefined;
  const fields = b.hash === h.hash ? [] : diffObjects(b.object, h.object);
  const common = { kind: h.kind, key: h.key, codeName: h.codeName, path: h.path, before: b, after: h, fields };
  if (!samePlace) return { op: 'rename', ...common, fromPath: b.path, fromCodeName: b.codeName };
  return fields.length > 0 ? { op: 'update', ...common } : undefined;
}

function keep(out: Change[], c: Change, filter: CompiledFilter): void {
  const kept = narrowToLanguages(c, filter.languages);
  if (kept) out.push(kept);
}

function createOf(h: SnapshotEntry): Change {
  return { op: 'create', kind: h.kind, key: h.key, codeName: h.codeName, path: h.path, after: h };
}

function deleteOf(b: SnapshotEntry): Change {
  return { op: 'delete', kind: b.kind, key: b.key, codeName: b.codeName, path: b.path, before: b };
}

function finish(changes: Change[], base: string | undefined, head: string | undefined): Changeset {
  changes.sort(compareChanges);
  const cs: Changeset = { changes };
  if (base !== undefined) cs.base = base;
  if (head !== undefined) cs.head = head;
  return cs;
}

function groupByKey(entries: Iterable<SnapshotEntry>): Map<string, SnapshotEntry[]> {
  const m = new Map<string, SnapshotEntry[]>();
  for (const e of entries) {
    const list = m.get(e.key);
    if (list) list.push(e);
    else m.set(e.key, [e]);
  }
  return m;
}

function pairGroup(bs: SnapshotEntry[], hs: SnapshotEntry[]): { pairs: [SnapshotEntry, SnapshotEntry][]; deleted: SnapshotEntry[]; created: SnapshotEntry[] } {
  if (bs.length === 1 && hs.length <= 1) {
    return hs.length === 1 ? { pairs: [[bs[0], hs[0]]], deleted: [], created: [] } : { pairs: [], deleted: bs, created: [] };
  }
  const byPath = (x: SnapshotEntry, y: SnapshotEntry) => compareCodePoints(x.path, y.path);
  const restB = [...bs].sort(byPath);
  const restH = [...hs].sort(byPath);
  const pairs: [SnapshotEntry, SnapshotEntry][] = [];
  for (let i = 0; i < restB.length; ) {
    const j = restH.findIndex((h) => h.path === restB[i].path);
    if (j < 0) {
      i++;
      continue;
    }
    pairs.push([restB[i], restH[j]]);
    restB.splice(i, 1);
    restH.splice(j, 1);
  }
  const n = Math.min(restB.length, restH.length);
  for (let i = 0; i < n; i++) pairs.push([restB[i], restH[i]]);
  return { pairs, deleted: restB.slice(n), created: restH.slice(n) };
}
