import type { ObjectKind, Snapshot, SnapshotEntry, Store, StoredObject, StoredObjectInfo } from '../model/index.js';
import type { TargetIndex } from '../plan/index.js';
import type { LoadedSnapshot } from '../snapshot/index.js';
import { referencesOf } from '../validate/index.js';
import { SUPPORTING_KINDS, type KeySet } from './gathered.js';

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

/** True for an entry `stubOf` made: a page stub carries no channel. */
const isStub = (e: SnapshotEntry): boolean => e.kind === 'page' && (e.object as { channel?: string }).channel === undefined;

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
  for (const e of changed.values()) {
    for (const ref of referencesOf(e.object, lookup)) {
      const info = target.byKey(ref.key);
      if (info) addUnchanged(stubOf(info));
    }
    const twin = target.byCodeName(e.kind, e.codeName);
    if (twin && twin.key !== e.key) addUnchanged(stubOf(twin));
    const same = target.byKey(e.key);
    if (same && same.path !== e.path) addUnchanged(stubOf(same));
    // Pages need their unchanged ancestors for the tree rules.
    if (e.object.kind === 'page') {
      let parent = e.object.parent;
      for (let depth = 0; parent && depth < 100; depth++) {
        const info = target.byKey(parent);
        // A stub the references loop added (no channel, no parent) is replaced by the whole page.
        const known = entries.get(parent);
        if (!info || (known && !isStub(known))) break;
        const [stored] = (await store.getObjects([parent])).values();
        if (!stored) break;
        if (known) entries.set(parent, { ...stubOf(info), object: stored.object });
        else addUnchanged({ ...stubOf(info), object: stored.object });
        parent = stored.object.kind === 'page' ? stored.object.parent : undefined;
      }
    }
  }

  return { snapshot: { entries, binaries: head.binaries, diagnostics: head.diagnostics }, extraEntries, only };
}
