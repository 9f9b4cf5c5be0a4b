import type { Changeset, ObjectKind } from '../model/index.js';
import { OBJECT_KINDS, assertNever } from '../model/index.js';

export interface OpCounts {
  create: number;
  update: number;
  rename: number;
  delete: number;
}

export type ChangesetSummary = Record<ObjectKind, OpCounts>;

export function emptyOpCounts(): OpCounts {
  return { create: 0, update: 0, rename: 0, delete: 0 };
}

/** Counts per kind and op; every kind is present (zeros included), in `OBJECT_KINDS` order. */
export function summarizeChangeset(cs: Changeset): ChangesetSummary {
  const summary = Object.fromEntries(OBJECT_KINDS.map((k) => [k, emptyOpCounts()])) as ChangesetSummary;
  for (const c of cs.changes) {
    const counts = summary[c.kind];
    switch (c.op) {
      case 'create':
        counts.create++;
        break;
      case 'update':
        counts.update++;
        break;
      case 'rename':
        counts.rename++;
        break;
      case 'delete':
        counts.delete++;
        break;
      default:
        assertNever(c);
    }
  }
  return summary;
}

/** Sum over all kinds. */
export function totalOpCounts(summary: ChangesetSummary): OpCounts {
  const total = emptyOpCounts();
  for (const k of OBJECT_KINDS) {
    total.create += summary[k].create;
    total.update += summary[k].update;
    total.rename += summary[k].rename;
    total.delete += summary[k].delete;
  }
  return total;
}
