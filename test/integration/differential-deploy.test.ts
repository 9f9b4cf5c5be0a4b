import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OP_NAMES } from '../differential/content-ops.js';
import { opArbitrary } from '../differential/arbitraries.js';
import { ALL_CONFIGS } from '../differential/harness.js';
import { describeDifferential } from '../differential/suite.js';

/** Incremental deploys against fresh restores in Full mode (see test/differential/suite.ts). */
describe('the generator', () => {
  it('makes every operation', () => {
    // A new operation in content-ops.ts must be added to the arbitrary too (and so to the tour).
    const generated = new Set(fc.sample(opArbitrary, { numRuns: 2000, seed: 1 }).map((o) => o.op));
    expect([...generated].sort()).toEqual([...OP_NAMES].sort());
  });
});

describeDifferential('Full: every incremental deploy equals a fresh restore of the same commit', ALL_CONFIGS.filter((c) => c.mode === 'Full'));
