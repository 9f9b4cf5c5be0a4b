// The guids a changeset's field values refer to, and the names the changeset itself knows.
import type { Changeset, ObjectName } from '../model/index.js';
import { guidsInValue } from '../model/index.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isGuid(v: unknown): v is string {
  return typeof v === 'string' && GUID.test(v);
}

/**
 * Guids in changed field values (a reference, a list of them, links, media and blocks holding
 * them, rich text links and embeds), sorted, without duplicates.
 */
export function referencedGuids(cs: Changeset): string[] {
  const out = new Set<string>();
  const visit = (v: unknown) => guidsInValue(v, out);
  for (const c of cs.changes) {
    if (c.op !== 'update' && c.op !== 'rename') continue;
    for (const f of c.fields) {
      visit(f.before);
      visit(f.after);
    }
  }
  return [...out].sort();
}

/** Names of the changed objects themselves, both sides (a renamed object by its new name). */
export function namesInChangeset(cs: Changeset): Map<string, ObjectName> {
  const names = new Map<string, ObjectName>();
  for (const c of cs.changes) {
    for (const side of [c.op === 'create' ? undefined : c.before, c.op === 'delete' ? undefined : c.after]) {
      const o = side?.object;
      if (o && 'guid' in o && typeof o.guid === 'string') names.set(o.guid, { kind: o.kind, codeName: o.codeName });
    }
  }
  return names;
}

/** The names of `guids` found in `known`, as the changeset's `names` record (keys sorted). */
export function namesFor(guids: readonly string[], known: ReadonlyMap<string, ObjectName>): Record<string, ObjectName> {
  const out: Record<string, ObjectName> = {};
  for (const g of guids) {
    const n = known.get(g);
    if (n) out[g] = n;
  }
  return out;
}
