/**
 * The three-way merge of plain values (what a Ferry file holds once parsed), from the top of an
 * object down to the smallest unit that both sides changed differently:
 *
 * - a side that left a value as it was in the base takes the other side's value;
 * - maps merge key by key (fields by name, variants by language, any `json` map);
 * - lists whose elements have an identity merge element by element (see `list-identity.ts`);
 * - multi-line strings (rich text, long text) merge by lines with diff3 (`merge-text.ts`);
 * - anything else both sides changed differently is a conflict of that value alone, and so is a
 *   value one side deleted while the other changed it.
 *
 * Instead of a tree with conflict nodes the merge returns two resolutions, `ours` and `theirs`:
 * equal everywhere but at the conflicts, where each keeps its own side. A clean merge has one
 * resolution; a conflicted one is written with markers around the lines where the two differ.
 */
import { compareCodePoints } from '../model/index.js';
import type { IdentityRule } from './list-identity.js';
import { mergeText } from './merge-text.js';

/** A key missing from a map (deleted, or never there). */
export const ABSENT: undefined = undefined;

export interface ValueConflict {
  /** Where, as JSON Pointer tokens from the object root (list elements by identity, `fields[guid]`). */
  path: string[];
  /** Each side's value at `path` (`undefined`: deleted or missing); for text, the conflicting lines. */
  ours: unknown;
  theirs: unknown;
  base: unknown;
  /** What kind of conflict: both changed a value, one deleted what the other changed, both changed the same lines of a text. */
  reason: 'both-changed' | 'delete-edit' | 'text-lines' | 'list-order';
}

export interface Resolutions {
  ours: unknown;
  theirs: unknown;
}

export interface MergeContext {
  conflicts: ValueConflict[];
  identity: IdentityRule;
}

/** Merges one value; pushes the conflicts it finds into `ctx`. */
export function mergeValue(base: unknown, ours: unknown, theirs: unknown, path: string[], ctx: MergeContext): Resolutions {
  if (deepEqual(ours, theirs)) return same(ours);
  if (deepEqual(base, ours)) return same(theirs);
  if (deepEqual(base, theirs)) return same(ours);
  if (isMap(ours) && isMap(theirs) && (base === ABSENT || isMap(base))) return mergeMaps(base, ours, theirs, path, ctx);
  if (typeof ours === 'string' && typeof theirs === 'string' && (base === ABSENT || typeof base === 'string') && (ours.includes('\n') || theirs.includes('\n'))) {
    const text = mergeText(base ?? '', ours, theirs);
    for (const c of text.conflicts) ctx.conflicts.push({ path, ours: c.ours.join('\n'), theirs: c.theirs.join('\n'), base, reason: 'text-lines' });
    return { ours: text.ours, theirs: text.theirs };
  }
  if (Array.isArray(ours) && Array.isArray(theirs) && (base === ABSENT || Array.isArray(base))) {
    const merged = mergeList(base ?? [], ours, theirs, path, ctx);
    if (merged) return merged;
  }
  const reason = ours === ABSENT || theirs === ABSENT ? 'delete-edit' : 'both-changed';
  ctx.conflicts.push({ path, ours, theirs, base, reason });
  return { ours, theirs };
}

function mergeMaps(base: Record<string, unknown> | undefined, ours: Record<string, unknown>, theirs: Record<string, unknown>, path: string[], ctx: MergeContext): Resolutions {
  const keys = new Set([...Object.keys(base ?? {}), ...Object.keys(ours), ...Object.keys(theirs)]);
  const o: Record<string, unknown> = {};
  const t: Record<string, unknown> = {};
  for (const key of [...keys].sort(compareCodePoints)) {
    const r = mergeValue(base?.[key], ours[key], theirs[key], [...path, key], ctx);
    if (r.ours !== ABSENT) o[key] = r.ours;
    if (r.theirs !== ABSENT) t[key] = r.theirs;
  }
  return { ours: o, theirs: t };
}

/**
 * Lists whose elements all have an identity (a guid, or the scalar itself for lists of unique
 * guids, tags or codes) merge by identity: elements both sides kept merge as values; an element
 * one side added is inserted after the base element before it on that side; both sides adding at
 * the same place keeps both, the run whose first element sorts first (`IdentityRule.order`)
 * first, so merging A into B and B into A give the same list. A side that reordered the kept
 * elements gives the order; both reordering differently is a conflict of the whole list. Lists
 * without identities: `undefined` (the caller treats them as one value).
 */
function mergeList(base: unknown[], ours: unknown[], theirs: unknown[], path: string[], ctx: MergeContext): Resolutions | undefined {
  const b = identities(base, ctx.identity);
  const o = identities(ours, ctx.identity);
  const t = identities(theirs, ctx.identity);
  if (!b || !o || !t) return undefined;
  const byId = (ids: string[], list: unknown[]) => new Map(ids.map((id, i) => [id, list[i]] as const));
  const baseById = byId(b, base);
  const oursById = byId(o, ours);
  const theirsById = byId(t, theirs);

  const baseSet = new Set(b);
  const oKept = o.filter((id) => baseSet.has(id));
  const tKept = t.filter((id) => baseSet.has(id));
  const oursReordered = !sameList(oKept, b.filter((id) => oursById.has(id)));
  const theirsReordered = !sameList(tKept, b.filter((id) => theirsById.has(id)));
  if (oursReordered && theirsReordered && !sameList(oKept, tKept)) {
    ctx.conflicts.push({ path, ours, theirs, base, reason: 'list-order' });
    return { ours, theirs };
  }

  // Each element's two resolutions (ABSENT where a resolution drops it).
  const resolved = new Map<string, Resolutions>();
  for (const id of new Set([...b, ...o, ...t])) {
    const token = ctx.identity.pathToken(id, oursById.get(id) ?? theirsById.get(id) ?? baseById.get(id));
    resolved.set(id, mergeValue(baseById.get(id), oursById.get(id), theirsById.get(id), [...path, token], ctx));
  }
  const stays = (id: string) => resolved.get(id)!.ours !== ABSENT || resolved.get(id)!.theirs !== ABSENT;

  // The base elements that stay, in the order of the side that reordered them (else the base's).
  const reordered = oursReordered ? oKept : theirsReordered ? tKept : b;
  const spine = [...reordered, ...b.filter((id) => !reordered.includes(id))].filter(stays);
  // A run anchored at a base element that goes moves to the nearest staying base element before it.
  const anchorOf = new Map<string | null, string | null>([[null, null]]);
  let lastStaying: string | null = null;
  for (const id of b) {
    if (stays(id)) lastStaying = id;
    anchorOf.set(id, lastStaying);
  }
  const runs = (side: string[], skip: (id: string) => boolean) => {
    const out = new Map<string | null, string[]>();
    let anchor: string | null = null;
    for (const id of side) {
      if (baseSet.has(id)) anchor = anchorOf.get(id) ?? null;
      else if (!skip(id)) out.set(anchor, [...(out.get(anchor) ?? []), id]);
    }
    return out;
  };
  const oRuns = runs(o, () => false);
  // An element both sides added (same identity) is placed where ours put it.
  const tRuns = runs(t, (id) => oursById.has(id));
  const order: string[] = [];
  const place = (anchor: string | null) => {
    const mine = oRuns.get(anchor) ?? [];
    const other = tRuns.get(anchor) ?? [];
    const otherFirst = mine.length > 0 && other.length > 0 && compareCodePoints(ctx.identity.order(theirsById.get(other[0]), other[0]), ctx.identity.order(oursById.get(mine[0]), mine[0])) < 0;
    order.push(...(otherFirst ? [...other, ...mine] : [...mine, ...other]));
  };
  place(null);
  for (const id of spine) {
    order.push(id);
    place(id);
  }
  const pick = (which: keyof Resolutions) => order.map((id) => resolved.get(id)![which]).filter((v) => v !== ABSENT);
  return { ours: pick('ours'), theirs: pick('theirs') };
}

function identities(list: unknown[], rule: IdentityRule): string[] | undefined {
  const ids: string[] = [];
  const seen = new Set<string>();
  for (const el of list) {
    const id = rule.of(el);
    if (id === undefined || seen.has(id)) return undefined;
    seen.add(id);
    ids.push(id);
  }
  return ids;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function same(v: unknown): Resolutions {
  return { ours: v, theirs: v };
}

export function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ak = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const bk = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ak.length !== bk.length) return false;
  return ak.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
