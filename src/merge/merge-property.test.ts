/**
 * Property: for independent edits A and B of one object (disjoint fields and variants, and
 * rich-text edits in paragraphs with an unchanged one between them), the merge equals applying A
 * then B, and B then A; it is clean, and its bytes are canonical. `FERRY_FC_RUNS` runs it longer.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeObjectText, objectPath } from '../format/index.js';
import { contentItem, contentType, fieldValue, nonEmptyString } from '../format/test-support/arbitraries.js';
import type { ContentItem, ContentType, FerryObject, ItemVariant } from '../model/index.js';
import { mergeContentFile } from './merge-file.js';

const RUNS = Number(process.env.FERRY_FC_RUNS ?? 100);
const DELETE = Symbol('delete');
type Edit = { path: string[]; value: unknown };

function apply<O extends FerryObject>(o: O, edits: readonly Edit[]): O {
  const copy = structuredClone(o);
  for (const e of edits) {
    let at = copy as unknown as Record<string, unknown>;
    for (const k of e.path.slice(0, -1)) at = at[k] as Record<string, unknown>;
    const last = e.path[e.path.length - 1];
    if (e.value === DELETE) delete at[last];
    else at[last] = structuredClone(e.value);
  }
  return copy;
}

const variant: fc.Arbitrary<ItemVariant> = fc.record({
  status: fc.constantFrom('draft', 'published', 'unpublished'),
  displayName: nonEmptyString,
  fields: fc.dictionary(fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,6}$/), fieldValue, { maxKeys: 3 }),
});

/** The units one side may edit, for a base item: every path with the kind of value it takes. */
function units(base: ContentItem): { path: string[]; value: fc.Arbitrary<unknown> }[] {
  const value = fc.oneof({ weight: 3, arbitrary: fieldValue }, { weight: 1, arbitrary: fc.constant(DELETE) });
  const fieldKeys = [...new Set([...Object.keys(base.fields), 'extraA', 'extraB'])];
  const [first, ...others] = Object.keys(base.variants);
  const firstFields = [...new Set([...Object.keys(base.variants[first].fields), 'extraC', 'title'])];
  return [
    { path: ['workspace'], value: fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/) },
    ...fieldKeys.map((k) => ({ path: ['fields', k], value })),
    { path: ['variants', first, 'status'], value: fc.constantFrom('draft', 'published', 'unpublished') },
    { path: ['variants', first, 'displayName'], value: nonEmptyString },
    ...firstFields.map((k) => ({ path: ['variants', first, 'fields', k], value })),
    // Other variants (and new ones) are replaced, added or deleted whole.
    ...[...new Set([...others, 'xx-NEW'])].map((lang) => ({ path: ['variants', lang], value: fc.oneof(variant, fc.constant(DELETE)) })),
  ];
}

/** A base item and two edit lists over disjoint units. */
const scenario = contentItem.chain((base) => {
  const all = units(base);
  return fc
    .tuple(
      fc.array(fc.constantFrom<'A' | 'B' | '-'>('A', 'B', '-'), { minLength: all.length, maxLength: all.length }),
      fc.tuple(...all.map((u) => u.value)),
    )
    .map(([owners, values]) => {
      const edits = (side: 'A' | 'B') => all.flatMap((u, i) => (owners[i] === side ? [{ path: u.path, value: values[i] }] : []));
      return { base, a: edits('A'), b: edits('B') };
    });
});

describe('merge of independent edits', () => {
  it('equals applying A then B, and B then A (fields and variants)', () => {
    fc.assert(
      fc.property(scenario, ({ base, a, b }) => {
        const path = objectPath(base, 'content');
        const text = (o: ContentItem) => encodeObjectText(o, path);
        const ab = text(apply(apply(base, a), b));
        expect(text(apply(apply(base, b), a))).toBe(ab);
        const merged = mergeContentFile({ base: text(base), ours: text(apply(base, a)), theirs: text(apply(base, b)), path });
        expect(merged).toMatchObject({ method: 'objects', conflicts: [], clean: true });
        expect(merged.text).toBe(ab);
        expect(mergeContentFile({ base: text(base), ours: text(apply(base, b)), theirs: text(apply(base, a)), path }).text).toBe(ab);
      }),
      { numRuns: RUNS },
    );
  });

  it('equals applying A then B, and B then A (content type field definitions by guid)', () => {
    const uniqueGuids = contentType.filter((t) => new Set(t.fields.map((f) => f.guid)).size === t.fields.length);
    const typeScenario = uniqueGuids.chain((base) => {
      const all: { path: string[]; value: fc.Arbitrary<unknown> }[] = [
        { path: ['displayName'], value: nonEmptyString },
        { path: ['description'], value: fc.oneof(nonEmptyString, fc.constant(DELETE)) },
        ...base.fields.flatMap((_, i) => [
          { path: ['fields', String(i), 'label'], value: fc.oneof(nonEmptyString, fc.constant(DELETE)) },
          { path: ['fields', String(i), 'required'], value: fc.boolean() },
          { path: ['fields', String(i), 'validation'], value: fc.oneof(fc.record({ maxLength: fc.nat() }), fc.constant(DELETE)) },
        ]),
      ];
      return fc
        .tuple(fc.array(fc.constantFrom<'A' | 'B' | '-'>('A', 'B', '-'), { minLength: all.length, maxLength: all.length }), fc.tuple(...all.map((u) => u.value)))
        .map(([owners, values]) => {
          const edits = (side: 'A' | 'B') => all.flatMap((u, i) => (owners[i] === side ? [{ path: u.path, value: values[i] }] : []));
          return { base, a: edits('A'), b: edits('B') };
        });
    });
    fc.assert(
      fc.property(typeScenario, ({ base, a, b }) => {
        const path = objectPath(base, 'content');
        const text = (o: ContentType) => encodeObjectText(o, path);
        const ab = text(apply(apply(base, a), b));
        expect(text(apply(apply(base, b), a))).toBe(ab);
        const merged = mergeContentFile({ base: text(base), ours: text(apply(base, a)), theirs: text(apply(base, b)), path });
        expect(merged).toMatchObject({ method: 'objects', conflicts: [], clean: true });
        expect(merged.text).toBe(ab);
      }),
      { numRuns: RUNS },
    );
  });

  it('equals applying A then B for rich text edited in paragraphs apart', () => {
    // Distinct lines, as paragraphs of rich text are: with repeated lines a line diff has several
    // equally short answers, and diff3 (git's too) may then see edits overlap that a person would not.
    const paragraphs = fc.uniqueArray(fc.stringMatching(/^<p>[a-z ]{1,20}<\/p>$/), { minLength: 3, maxLength: 12 });
    const plan = paragraphs.chain((ps) =>
      fc.tuple(
        fc.constant(ps),
        fc.array(fc.constantFrom<'A' | 'B' | '-'>('A', 'B', '-'), { minLength: ps.length, maxLength: ps.length }),
        fc.uniqueArray(fc.stringMatching(/^<p>N[A-Z ]{0,19}<\/p>$/), { minLength: ps.length, maxLength: ps.length }),
      ),
    );
    fc.assert(
      fc.property(contentItem, plan, (item, [ps, owners, replacements]) => {
        // diff3 needs an unchanged line between the two sides' edits: a B edit next to an A edit goes.
        const own = owners.map((o, i) => (o === 'B' && (owners[i - 1] === 'A' || owners[i + 1] === 'A') ? '-' : o));
        const body = (side: 'A' | 'B' | 'AB' | '') => `${ps.map((p, i) => (side.includes(own[i]) && own[i] !== '-' ? replacements[i] : p)).join('\n')}\n`;
        const lang = Object.keys(item.variants)[0];
        const withBody = (s: string) => apply(item, [{ path: ['variants', lang, 'fields', 'body'], value: s }]);
        const path = objectPath(item, 'content');
        const text = (o: ContentItem) => encodeObjectText(o, path);
        const merged = mergeContentFile({ base: text(withBody(body(''))), ours: text(withBody(body('A'))), theirs: text(withBody(body('B'))), path });
        expect(merged).toMatchObject({ method: 'objects', conflicts: [], clean: true });
        expect(merged.text).toBe(text(withBody(body('AB'))));
      }),
      { numRuns: RUNS },
    );
  });
});
