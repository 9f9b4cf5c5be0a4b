import { describe, expect, it } from 'vitest';
import { CONTENT_IDENTITY } from './list-identity.js';
import { mergeValue, type MergeContext } from './merge-values.js';

const merge = (base: unknown, ours: unknown, theirs: unknown) => {
  const ctx: MergeContext = { conflicts: [], identity: CONTENT_IDENTITY };
  const r = mergeValue(base, ours, theirs, [], ctx);
  return { ...r, conflicts: ctx.conflicts };
};
const f = (guid: string, extra: Record<string, unknown> = {}) => ({ guid, name: guid, ...extra });

describe('mergeValue: lists by identity', () => {
  it('keeps one side’s reorder and the other side’s insertion', () => {
    const r = merge([f('a'), f('b'), f('c')], [f('c'), f('a'), f('b')], [f('a'), f('b'), f('x'), f('c')]);
    expect(r.conflicts).toEqual([]);
    expect(r.ours).toEqual([f('c'), f('a'), f('b'), f('x')]);
  });

  it('is a conflict of the list when both sides reorder differently', () => {
    const r = merge(['a', 'b', 'c'], ['c', 'b', 'a'], ['b', 'a', 'c']);
    expect(r.conflicts).toMatchObject([{ path: [], reason: 'list-order' }]);
    expect(r).toMatchObject({ ours: ['c', 'b', 'a'], theirs: ['b', 'a', 'c'] });
  });

  it('merges an element both sides changed, property by property', () => {
    const r = merge([f('a', { required: false, label: 'A' })], [f('a', { required: true, label: 'A' })], [f('a', { required: false, label: 'Alpha' })]);
    expect(r.conflicts).toEqual([]);
    expect(r.ours).toEqual([f('a', { required: true, label: 'Alpha' })]);
  });

  it('moves an insertion after a deleted element to the element before it', () => {
    const r = merge(['a', 'b', 'c'], ['a', 'c'], ['a', 'b', 'x', 'c']);
    expect(r.conflicts).toEqual([]);
    expect(r.ours).toEqual(['a', 'x', 'c']);
  });

  it('reports an element deleted on one side and changed on the other, named by its name', () => {
    const r = merge([f('a'), f('b')], [f('a')], [f('a'), f('b', { required: true })]);
    expect(r.conflicts).toMatchObject([{ path: ['b'], reason: 'delete-edit', ours: undefined }]);
    expect(r).toMatchObject({ ours: [f('a')], theirs: [f('a'), f('b', { required: true })] });
  });

  it('treats lists without identities (repeated values, nested lists) as one value', () => {
    expect(merge(['a', 'a'], ['a', 'a', 'b'], ['a', 'a', 'c']).conflicts).toMatchObject([{ reason: 'both-changed' }]);
    expect(merge([[1]], [[1], [2]], [[3]]).conflicts).toMatchObject([{ reason: 'both-changed' }]);
  });
});

describe('mergeValue: maps and scalars', () => {
  it('agrees when both sides made the same change, and merges added maps key by key', () => {
    expect(merge({ a: 1 }, { a: 2 }, { a: 2 })).toMatchObject({ ours: { a: 2 }, conflicts: [] });
    expect(merge(undefined, { x: 1 }, { y: 2 })).toMatchObject({ ours: { x: 1, y: 2 }, conflicts: [] });
  });

  it('deleting on both sides deletes; deleting what the other changed is a conflict', () => {
    expect(merge({ a: 1, b: 1 }, { b: 1 }, { b: 1 })).toMatchObject({ ours: { b: 1 }, conflicts: [] });
    expect(merge({ a: 1 }, {}, { a: 2 }).conflicts).toMatchObject([{ path: ['a'], reason: 'delete-edit' }]);
  });
});
