/**
 * The differential suite for a set of configurations (one test file per restore mode, so vitest
 * runs them side by side): the named regression cases, a tour of every operation, and generated
 * sequences from a fixed seed. A failure prints the shrunk sequence as a replayable script.
 *
 * Environment: FERRY_FUZZ_RUNS / FERRY_FUZZ_SEED / FERRY_FUZZ_SAMPLE (generated sequences; `npm
 * run fuzz` sets them), FERRY_DIFF_CONFIGS=CreateUpdate/tree-diff/sqlite,… (narrows a run).
 */
import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import { removeGitRepos } from '../support/gitdir.js';
import { OP_NAMES, type Op } from './content-ops.js';
import { opArbitrary, opSequenceArbitrary } from './arbitraries.js';
import { buildSequence, checkConfig, configName, freshRestores, replayOf, type DiffConfig, type FreshResult, type Sequence } from './harness.js';
import { REGRESSIONS } from './regressions.js';

const TIMEOUT_MS = 300_000;

function selected(configs: readonly DiffConfig[]): DiffConfig[] {
  const only = process.env.FERRY_DIFF_CONFIGS?.split(',');
  return only ? configs.filter((c) => only.includes(configName(c))) : [...configs];
}

/** Builds a sequence's commits and fresh restores once, for every configuration that checks it. */
function prepared(ops: readonly Op[]): () => Promise<{ seq: Sequence; fresh: FreshResult[] }> {
  let p: Promise<{ seq: Sequence; fresh: FreshResult[] }> | undefined;
  return () => (p ??= (async () => {
    const seq = buildSequence(ops);
    return { seq, fresh: await freshRestores(seq) };
  })());
}

async function checkOrExplain(ops: readonly Op[], seq: Sequence, fresh: FreshResult[], cfg: DiffConfig): Promise<void> {
  try {
    await checkConfig(seq, fresh, cfg);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new Error(`${message}\n\nReplay (in a git repository holding the sample content):\n${replayOf(seq, cfg)}\nops: ${JSON.stringify(ops)}`);
  }
}

/** Every op once, each with its first sample from a fixed seed. */
export function tourOps(): Op[] {
  return OP_NAMES.map((op, i) => fc.sample(opArbitrary.filter((o) => o.op === op), { numRuns: 1, seed: 100 + i })[0]);
}

export function describeDifferential(title: string, configs: readonly DiffConfig[]): void {
  const chosen = selected(configs);
  afterAll(removeGitRepos);
  describe(title, () => {
    for (const [name, ops] of Object.entries(REGRESSIONS)) {
      const ready = prepared(ops);
      for (const cfg of chosen) {
        it(`regression: ${name} (${configName(cfg)})`, async () => {
          const { seq, fresh } = await ready();
          await checkOrExplain(ops, seq, fresh, cfg);
        }, TIMEOUT_MS);
      }
    }

    const tour = tourOps();
    const readyTour = prepared(tour);
    for (const cfg of chosen) {
      it(`a tour of every operation (${configName(cfg)})`, async () => {
        const { seq, fresh } = await readyTour();
        await checkOrExplain(tour, seq, fresh, cfg);
      }, TIMEOUT_MS);
    }

    // In `npm test` every sequence runs in every configuration; a soak (FERRY_FUZZ_SAMPLE=1, as
    // `npm run fuzz` sets) draws one configuration per sequence, so it covers far more sequences.
    const sample = process.env.FERRY_FUZZ_SAMPLE === '1';
    if (!chosen.length) return;
    it(`generated sequences, fixed seed (${sample ? 'one of ' : ''}${chosen.map(configName).join(', ')})`, async () => {
      const runs = Number(process.env.FERRY_FUZZ_RUNS ?? 2);
      const seed = Number(process.env.FERRY_FUZZ_SEED ?? 20261204);
      const configsArb = sample ? fc.nat({ max: chosen.length - 1 }).map((i) => [chosen[i]]) : fc.constant(chosen);
      // A soak says how far it got, so a stopped one still tells how many sequences passed.
      let checked = 0;
      const result = await fc.check(
        fc.asyncProperty(opSequenceArbitrary, configsArb, async (ops, configs) => {
          const seq = buildSequence(ops);
          const fresh = await freshRestores(seq);
          for (const cfg of configs) await checkOrExplain(ops, seq, fresh, cfg);
          if (sample && ++checked % 50 === 0) console.log(`fuzz progress: ${title}: ${checked} of ${runs} sequences passed (${new Date().toISOString()})`);
        }),
        { numRuns: runs, seed },
      );
      if (result.failed) {
        const why = result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
        throw new Error(`A generated sequence failed (seed ${seed}, ${result.numShrinks} shrinks; keep it in test/differential/regressions.ts):\n${why}`);
      }
    }, Math.max(TIMEOUT_MS, Number(process.env.FERRY_FUZZ_RUNS ?? 2) * (sample ? 30_000 : 120_000)));
  });
}
