import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FerryObject } from '../model/index.js';
import { objectTree } from './canonical-tree.js';
import { emitFast } from './emit-fast.js';
import { emitWithYaml } from './emit-yaml.js';
import { ferryObject, fieldValue, trickyString } from './test-support/arbitraries.js';

const RUNS = Number(process.env.FERRY_FC_RUNS ?? 300);

function item(fields: Record<string, unknown>): FerryObject {
  return {
    kind: 'contentItem',
    guid: '3f0c8a52-5b1e-4c3e-9a57-0d6f7c1e2b10',
    codeName: 'x',
    contentType: 't',
    workspace: 'w',
    fields,
    variants: { en: { status: 'draft', displayName: 'x', fields: {} } },
  };
}

describe('fast writer', () => {
  it('writes exactly what the yaml-package writer writes, whenever it does not hand over', () => {
    let fast = 0;
    let total = 0;
    fc.assert(
      fc.property(ferryObject, (o) => {
        const tree = objectTree(o);
        const text = emitFast(tree);
        total++;
        if (text === undefined) return;
        fast++;
        expect(text).toBe(emitWithYaml(tree));
      }),
      { numRuns: RUNS * 3 },
    );
    // The fast path must really be exercised by the tricky arbitraries, not always handed over.
    expect(fast / total).toBeGreaterThan(0.2);
  });

  it('agrees on single values in every position: map value, list item, nested list, last in the file', () => {
    let fast = 0;
    fc.assert(
      fc.property(trickyString, fieldValue, (s, v) => {
        const tree = objectTree(item({ a: s, b: [s, [s], { k: s }], c: { [s]: v }, z: s }));
        const text = emitFast(tree);
        if (text === undefined) return;
        fast++;
        expect(text).toBe(emitWithYaml(tree));
      }),
      { numRuns: RUNS * 5 },
    );
    expect(fast).toBeGreaterThan(RUNS);
  });

  it('writes common content itself (no hand-over)', () => {
    const tree = objectTree(
      item({
        body: '<p>One.</p>\n<p>Two.</p>\n',
        keep: 'kept\n\n',
        strip: 'a\nb',
        list: ['a', 1, 2.5, true, null, [], {}, ['x'], { b: 'multi\nline', a: 'true' }],
        date: '2024-05-01',
        quoted: 'say "hi": now',
      }),
    );
    const text = emitFast(tree);
    expect(text).toBeDefined();
    expect(text).toBe(emitWithYaml(tree));
  });

  it('hands over what it does not write itself', () => {
    for (const s of ['  lead\nx', '\nlead', 'tab\tquoted', 'cr\r\n', 'trail \nx ', 'nel\u0085', 'x'.repeat(1001)]) {
      const tree = objectTree(item({ [s.startsWith('x') ? 'k' : 'a']: s, ...(s.startsWith('x') ? { b: { [s]: 1 } } : {}) }));
      expect(emitFast(tree), JSON.stringify(s.slice(0, 20))).toBeUndefined();
    }
  });
});
