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

/** A content type as items depend on it: without its display name, description, field labels and descriptions. */
function typeShape(t: unknown): string {
  const { displayName: _d, description: _s, fields, ...rest } = t as { displayName?: string; description?: string; fields: { label?: string; description?: string }[] };
  return JSON.stringify({ ...rest, fields: fields.map(({ label: _l, description: _ds, ...f }) => f) });
}

/** The code-name references of an object: what must exist by kind and code name wherever it is written. */
function codeNameRefs(o: ObservedObject): { kind: string; codeName: string; field: string }[] {
  const v = o.object as { contentType?: string; workspace?: string; channel?: string; folder?: string };
  switch (o.kind) {
    case 'contentItem':
      return [{ kind: 'contentType', codeName: v.contentType!, field: 'contentType' }, { kind: 'workspace', codeName: v.workspace!, field: 'workspace' }];
    case 'page':
      return [{ kind: 'contentType', codeName: v.contentType!, field: 'contentType' }, { kind: 'channel', codeName: v.channel!, field: 'channel' }];
    case 'asset':
      return [{ kind: 'assetFolder', codeName: v.folder!, field: 'folder' }];
    default:
      // Languages are their own keys: a language a created object names is created or kept.
      return [];
  }
}

/**
 * Create mode creates what the target lacks and touches nothing it has. So a deployment is
 * refused when an object it creates would not fit what the target keeps: the findings it must
 * report, as the CLI prints them, sorted. Empty when it may go on.
 * - A created object names (by code name) a content type, workspace, channel or asset folder the
 *   target will not hold under that name: the repository renamed it, and Create mode renames
 *   nothing (found by `npm run fuzz -- --seed 13`: an asset added to a renamed folder).
 * - A created item or page has a content type the target holds in another shape (what items
 *   hold, not labels): Create mode does not update it, and the new item would not fit.
 */
export function createModeRefusals(mode: RestoreMode, before: readonly ObservedObject[], fresh: readonly ObservedObject[], environment: string): string[] {
  if (mode !== 'Create') return [];
  const had = new Set(before.map((o) => o.key));
  const created = fresh.filter((o) => !had.has(o.key));
  // The target after the deployment: what it had, and what the deployment creates.
  const names = new Set([...before, ...created].map((o) => `${o.kind}\u0000${o.codeName}`));
  const typeIn = (list: readonly ObservedObject[], codeName: string) => list.find((o) => o.kind === 'contentType' && o.codeName === codeName)?.object;
  const out: string[] = [];
  for (const o of created) {
    for (const ref of codeNameRefs(o)) {
      if (names.has(`${ref.kind}\u0000${ref.codeName}`)) continue;
      out.push(`${o.path}: FERRY_E_INCOMPATIBLE ${o.kind} \`${o.codeName}\` needs ${ref.kind} \`${ref.codeName}\` (${ref.field}), which is neither on ${environment} nor created by this deployment`);
    }
    if (o.kind !== 'contentItem' && o.kind !== 'page') continue;
    const type = (o.object as { contentType: string }).contentType;
    const old = typeIn(before, type);
    const now = typeIn(fresh, type);
    if (old && now && typeShape(old) !== typeShape(now)) {
      out.push(`${o.path}: FERRY_E_INCOMPATIBLE ${o.kind} \`${o.codeName}\` depends on contentType \`${type}\`, which differs on ${environment} and is not updated in Create mode`);
    }
  }
  return out.sort();
}
