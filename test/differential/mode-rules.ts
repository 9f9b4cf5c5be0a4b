/**
 * What a store must hold after deploying a commit, written once from the restore modes' rules
 * (DESIGN.md, "Restore modes"), given what it held before and what a fresh restore of the commit
 * holds:
 * - Full: exactly the fresh restore.
 * - CreateUpdate: the fresh restore, plus the objects the commit no longer has (deletions are
 *   not applied).
 * - Create: what it held, plus the fresh restore's objects it did not have (nothing existing is
 *   touched).
 */
import type { RestoreMode } from '../../src/model/index.js';
import type { ObservedObject } from './observe.js';

export function expectedAfterDeploy(mode: RestoreMode, before: readonly ObservedObject[], fresh: readonly ObservedObject[]): ObservedObject[] {
  const byKey = (list: readonly ObservedObject[]) => new Map(list.map((o) => [o.key, o] as const));
  const out =
    mode === 'Full'
      ? byKey(fresh)
      : mode === 'CreateUpdate'
        ? new Map([...byKey(before), ...byKey(fresh)])
        : new Map([...byKey(fresh), ...byKey(before)]);
  return [...out.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
