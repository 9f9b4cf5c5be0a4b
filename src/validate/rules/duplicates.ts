import { compareCodePoints } from '../../model/compare.js';
import type { SnapshotEntry } from '../../model/snapshot.js';
import { KIND_LABEL, type ValidationContext } from '../context.js';

/** Groups of two or more entries sharing a key (most keys are unique, so only those get arrays). */
function groupBy(entries: readonly SnapshotEntry[], keyOf: (e: SnapshotEntry) => string): SnapshotEntry[][] {
  const first = new Map<string, SnapshotEntry>();
  const groups = new Map<string, SnapshotEntry[]>();
  for (const e of entries) {
    const k = keyOf(e);
    const seen = first.get(k);
    if (seen === undefined) first.set(k, e);
    else {
      const g = groups.get(k);
      if (g) g.push(e);
      else groups.set(k, [seen, e]);
    }
  }
  return [...groups.values()];
}

function others(group: readonly SnapshotEntry[], self: SnapshotEntry): string {
  return group
    .filter((e) => e !== self)
    .map((e) => e.path)
    .sort(compareCodePoints)
    .join(', ');
}

/**
 * Two files with one identity (guid, or a language's code), or two objects of one kind with one
 * code name. Each file gets a diagnostic naming the other file(s).
 */
export function checkDuplicates(ctx: ValidationContext): void {
  const all = ctx.opts.allEntries ?? [...ctx.snapshot.entries.values()];

  for (const group of groupBy(all, (e) => e.key)) {
    for (const e of group) {
      const what = e.kind === 'language' ? `language ${e.codeName} is` : `guid ${e.key} is`;
      ctx.report(e, 'FERRY_E_DUPLICATE', `${what} also defined in ${others(group, e)}; give one of the files a new identity`, e.kind === 'language' ? '/codeName' : '/guid');
    }
  }

  // Code names are unique per kind; entries sharing a key were reported above already.
  const distinctKeys = new Map<string, SnapshotEntry>();
  for (const e of all) if (!distinctKeys.has(e.key)) distinctKeys.set(e.key, e);
  const withKeys = [...distinctKeys.values()].filter((e) => e.kind !== 'language');
  for (const group of groupBy(withKeys, (e) => `${e.kind}\u0000${e.codeName}`)) {
    for (const e of group) {
      ctx.report(e, 'FERRY_E_DUPLICATE', `${KIND_LABEL[e.kind]} code name ${e.codeName} is also used by ${others(group, e)}; code names must be unique per kind`, '/codeName');
    }
  }
}
