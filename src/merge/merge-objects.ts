/**
 * The three-way merge of one Ferry object. Identity first: the guid (a language's code), never
 * the path, says whether the three versions are the same object. When they are, the object
 * merges value by value (`merge-values.ts`): top-level properties, `fields` by name, `variants`
 * by language and each variant's fields, content type field definitions by guid, reference lists
 * by guid, text by lines. When they are not, the whole object is one conflict: both branches
 * created the same code name with different guids, or one replaced the object (a new guid) while
 * the other edited it.
 */
import { objectKey, type FerryObject } from '../model/index.js';
import { CONTENT_IDENTITY } from './list-identity.js';
import { deepEqual, mergeValue, type MergeContext, type ValueConflict } from './merge-values.js';

export interface ObjectConflict extends Omit<ValueConflict, 'reason'> {
  reason: ValueConflict['reason'] | 'guid-clash' | 'replaced-edited';
}

export interface ObjectMerge {
  /** The merged object with every conflict resolved to our side; the clean result when there are none. */
  ours: FerryObject;
  /** The merged object with every conflict resolved to their side. */
  theirs: FerryObject;
  conflicts: ObjectConflict[];
  /** The two sides are different objects: one conflict over the whole file. */
  whole: boolean;
}

/**
 * Merges `ours` and `theirs`, both derived from `base` (absent when both sides created the file).
 * @example
 * const m = mergeObjects(base, ours, theirs); // m.ours is the clean result when m.conflicts is empty
 */
export function mergeObjects(base: FerryObject | undefined, ours: FerryObject, theirs: FerryObject): ObjectMerge {
  const oKey = objectKey(ours);
  const tKey = objectKey(theirs);
  const bKey = base === undefined ? undefined : objectKey(base);
  const whole = (reason: ObjectConflict['reason']): ObjectMerge => ({
    ours,
    theirs,
    conflicts: [{ path: identityPath(ours), ours: identityOf(ours), theirs: identityOf(theirs), base: base && identityOf(base), reason }],
    whole: true,
  });
  if (oKey !== tKey || ours.kind !== theirs.kind) {
    if (base !== undefined && oKey === bKey && deepEqual(ours, base)) return clean(theirs);
    if (base !== undefined && tKey === bKey && deepEqual(theirs, base)) return clean(ours);
    return whole(base === undefined || (oKey !== bKey && tKey !== bKey) ? 'guid-clash' : 'replaced-edited');
  }
  // Both sides hold the same object; a base that is another object is no common ancestor of it.
  const commonBase = bKey === oKey && base?.kind === ours.kind ? base : undefined;
  const ctx: MergeContext = { conflicts: [], identity: CONTENT_IDENTITY };
  const r = mergeValue(commonBase, ours, theirs, [], ctx);
  return { ours: r.ours as FerryObject, theirs: r.theirs as FerryObject, conflicts: ctx.conflicts, whole: false };
}

function clean(o: FerryObject): ObjectMerge {
  return { ours: o, theirs: o, conflicts: [], whole: false };
}

function identityPath(o: FerryObject): string[] {
  return [o.kind === 'language' ? 'codeName' : 'guid'];
}

function identityOf(o: FerryObject): string {
  return o.kind === 'language' ? o.codeName : o.guid;
}
