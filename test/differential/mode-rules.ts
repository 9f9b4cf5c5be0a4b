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

/** A content type as items depend on it: without its display name, description, field labels and descriptions (localized too). */
function typeShape(t: unknown): string {
  const { displayName: _d, description: _s, labels: _ls, fields, ...rest } = t as { displayName?: string; description?: string; labels?: unknown; fields: { label?: string; labels?: unknown; description?: string }[] };
  return JSON.stringify({ ...rest, fields: fields.map(({ label: _l, labels: _fl, description: _ds, ...f }) => f) });
}

/**
 * Create mode refuses a deployment that creates an item or page whose content type the target
 * has in another shape (Create mode does not update it, and the new item would not fit): the
 * findings it must report, one per such object, as the CLI prints them. Empty when it may go on.
 */
export function createModeRefusals(mode: RestoreMode, before: readonly ObservedObject[], fresh: readonly ObservedObject[], environment: string): string[] {
  if (mode !== 'Create') return [];
  const had = new Set(before.map((o) => o.key));
  const typeIn = (list: readonly ObservedObject[], codeName: string) => list.find((o) => o.kind === 'contentType' && o.codeName === codeName)?.object;
  const out: string[] = [];
  for (const o of fresh) {
    if (had.has(o.key) || (o.kind !== 'contentItem' && o.kind !== 'page')) continue;
    const type = (o.object as { contentType: string }).contentType;
    const old = typeIn(before, type);
    const now = typeIn(fresh, type);
    if (old && now && typeShape(old) !== typeShape(now)) {
      out.push(`${o.path}: FERRY_E_INCOMPATIBLE ${o.kind} \`${o.codeName}\` depends on contentType \`${type}\`, which differs on ${environment} and is not updated in Create mode`);
    }
  }
  return out.sort();
}
