import type { ObjectKind, Page, Snapshot, SnapshotEntry, Store, StoredObject, StoredObjectInfo } from '../model/index.js';
import { SUPPORTING_KINDS } from '../model/index.js';
import type { TargetIndex } from '../plan/index.js';
import type { LoadedSnapshot } from '../snapshot/index.js';
import { referencesOf } from '../validate/index.js';
import type { KeySet } from './gathered.js';

function stubOf(info: StoredObjectInfo): SnapshotEntry {
  return {
    key: info.key,
    kind: info.kind,
    codeName: info.codeName,
    path: info.path,
    hash: info.sourceHash,
    // Unchanged objects are looked up by key, kind, code name and type: their bodies were validated when deployed.
    object: { kind: info.kind, guid: info.guid, codeName: info.codeName, contentType: info.contentType } as never,
  };
}

/**
 * The part of the head snapshot that validating the changed files needs, without walking the
 * whole target: changed entries; the target's supporting objects (languages, workspaces,
 * channels, content types, asset folders); stubs of the unchanged objects the changed ones
 * reference (existence, kind, content type) or share a guid or code name with (duplicates).
 */
export async function buildValidationSnapshot(
  store: Store,
  head: LoadedSnapshot,
  changed: ReadonlyMap<string, SnapshotEntry>,
  unchangedKeys: KeySet,
  target: TargetIndex,
  supporting?: readonly StoredObject[],
): Promise<{ snapshot: Snapshot; extraEntries: SnapshotEntry[]; only: Set<string> }> {
  const entries = new Map<string, SnapshotEntry>(head.entries);
  const extraEntries: SnapshotEntry[] = [];
  const only = new Set(changed.keys());
  const addUnchanged = (e: SnapshotEntry) => {
    if (!unchangedKeys.has(e.key)) return;
    if (!entries.has(e.key)) entries.set(e.key, e);
    // A changed file with the same key elsewhere (a copy) stays in `entries`; the copy's twin goes to allEntries.
    else if (entries.get(e.key)!.path !== e.path) extraEntries.push(e);
  };
  if (!changed.size && !head.diagnostics.length) return { snapshot: { entries, binaries: head.binaries, diagnostics: head.diagnostics }, extraEntries, only };

  for (const s of supporting ?? (await store.listObjects([...SUPPORTING_KINDS]))) {
    if (unchangedKeys.has(s.key)) addUnchanged({ ...stubOf(s), object: s.object });
  }
  const changedByCode = new Map([...changed.values()].map((e) => [`${e.kind}\u0000${e.codeName}`, e.key] as const));
  const lookup = {
    keyOf: (kind: ObjectKind, codeName: string) =>
      kind === 'language' ? `language:${codeName}` : (changedByCode.get(`${kind}\u0000${codeName}`) ?? target.byCodeName(kind, codeName)?.key),
    contentType: (codeName: string) => {
      const key = lookup.keyOf('contentType', codeName);
      const e = key ? entries.get(key) : undefined;
      return e?.object.kind === 'contentType' ? e.object : undefined;
    },
  };
  // Pages need their unchanged ancestors whole (channel, parent) for the tree rules. They go in
  // first: the reference stubs below (kind, code name and type only) must not stand in for them.
  // The walk reaches past what the tree-diff path loaded (a grandparent is not a reference of the
  // changed page), so a move below its own descendant is found as a loop, as a fresh restore finds it.
  for (const e of changed.values()) {
    if (e.object.kind !== 'page') continue;
    let parent = e.object.parent;
    for (let depth = 0; parent && depth < 100 && !entries.has(parent); depth++) {
      // Changed or removed by this diff: the head decides what it is (validation reports it).
      if (!unchangedKeys.has(parent) && target.byKey(parent) !== undefined) break;
      const [stored] = (await store.getObjects([parent])).values();
      if (!stored || stored.object.kind !== 'page') break;
      entries.set(parent, { ...stubOf(stored), object: stored.object });
      parent = stored.object.parent;
    }
  }
  // Sibling slugs must differ: a changed page needs its unchanged siblings whole too. Children of
  // a parent come from the store's reference index; root pages (rarely changed) from a listing.
  const changedPages = [...changed.values()].filter((e): e is SnapshotEntry<Page> => e.object.kind === 'page');
  if (changedPages.length) {
    const parents = [...new Set(changedPages.flatMap((e) => (e.object.parent ? [e.object.parent] : [])))];
    const siblingKeys = new Set<string>();
    for (const r of await store.findReferrers(parents)) if (r.kind === 'page') siblingKeys.add(r.key);
    const rootChannels = new Set(changedPages.filter((e) => !e.object.parent).map((e) => e.object.channel));
    const roots = rootChannels.size ? (await store.listObjects(['page'])).filter((p) => p.object.kind === 'page' && !p.object.parent && rootChannels.has(p.object.channel)) : [];
    const wanted = [...siblingKeys].filter((k) => !entries.has(k));
    const loaded = [...(wanted.length ? (await store.getObjects(wanted)).values() : []), ...roots];
    for (const s of loaded) {
      if (entries.has(s.key) || s.object.kind !== 'page') continue;
      // Unchanged: the listing path knows; the tree-diff path's target holds only what the diff names.
      if (!unchangedKeys.has(s.key) && target.byKey(s.key) !== undefined) continue;
      entries.set(s.key, { ...stubOf(s), object: s.object });
    }
  }

  for (const e of changed.values()) {
    for (const ref of referencesOf(e.object, lookup)) {
      const info = target.byKey(ref.key);
      if (info) addUnchanged(stubOf(info));
    }
    const twin = target.byCodeName(e.kind, e.codeName);
    if (twin && twin.key !== e.key) addUnchanged(stubOf(twin));
    const same = target.byKey(e.key);
    if (same && same.path !== e.path) addUnchanged(stubOf(same));
  }

  return { snapshot: { entries, binaries: head.binaries, diagnostics: head.diagnostics }, extraEntries, only };
}
