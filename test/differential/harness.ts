/**
 * The differential (oracle) test of incremental deploys: a generated sequence of edits becomes
 * commits C1…Cn on top of the sample content; each configuration (restore mode × planning path ×
 * store kind) deploys them one after the other onto one environment, and after every step the
 * environment must equal what the mode's rules make of a fresh restore of the same commit
 * (mode-rules.ts): the same objects, the same `ferry serialize` bytes, the same delivery API
 * answers. On every step, the plan and the deploy must agree, and the Sync API's delta from the
 * previous sync token must turn the previous init into the new one.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { expect } from 'vitest';
import { parseConfigText } from '../../src/config/index.js';
import type { RepositoryConfig, RestoreMode } from '../../src/model/index.js';
import { RESTORE_MODES } from '../../src/model/index.js';
import { openStore, SqliteStore } from '../../src/store/index.js';
import { createDeliveryHandler } from '../../src/transport/delivery/index.js';
import { startInstanceServer } from '../../src/transport/server/instance-server.js';
import type { FileTree, GitRepo } from '../support/gitdir.js';
import { freshStoreUrl } from '../support/postgres.js';
import { ferry, makeSampleRepo } from '../support/sample-repo.js';
import { applyOp, replayScript, type FileChanges, type Op } from './content-ops.js';
import { createModeRefusals, expectedAfterDeploy } from './mode-rules.js';
import {
  DELIVERY,
  DIFF_SECRET,
  applySyncItems,
  deliveryAnswers,
  materialize,
  objectsOfStore,
  serializedFiles,
  startDelivery,
  syncInit,
  syncItems,
  syncSnapshot,
  tempDir,
  type ObservedObject,
  type SyncState,
} from './observe.js';

export type PlanningPath = 'tree-diff' | 'listing';
export type StoreKind = 'sqlite' | 'serve';

export interface DiffConfig {
  mode: RestoreMode;
  path: PlanningPath;
  store: StoreKind;
}

export const ALL_CONFIGS: DiffConfig[] = RESTORE_MODES.flatMap((mode) =>
  (['tree-diff', 'listing'] as const).flatMap((path) => (['sqlite', 'serve'] as const).map((store) => ({ mode, path, store }))),
);

export const configName = (c: DiffConfig) => `${c.mode}/${c.path}/${c.store}`;

export interface Sequence {
  repo: GitRepo;
  config: RepositoryConfig;
  /** The starting commit (the sample content), then one commit per applied edit. */
  commits: string[];
  steps: { label: string; changes: FileChanges }[];
  locales: string[];
}

function filesOf(dir: string): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  const walk = (abs: string) => {
    for (const name of readdirSync(abs)) {
      if (name === '.git' || name === '.ferry') continue;
      const p = join(abs, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p).split('\\').join('/'), new Uint8Array(readFileSync(p)));
    }
  };
  walk(dir);
  return out;
}

/** Commits the edits that apply (an edit nothing fits is left out) on a fresh sample repository. */
export function buildSequence(ops: readonly Op[]): Sequence {
  const repo = makeSampleRepo();
  const files = filesOf(repo.dir);
  const commits = [repo.head()];
  const steps: Sequence['steps'] = [];
  ops.forEach((op, i) => {
    const applied = applyOp(files, op, i + 1);
    if (!applied) return;
    const tree: FileTree = {};
    for (const [path, bytes] of applied.changes) {
      tree[path] = bytes;
      if (bytes === null) files.delete(path);
      else files.set(path, bytes);
    }
    commits.push(repo.commit(tree, applied.label));
    steps.push(applied);
  });
  const { config } = parseConfigText(readFileSync(join(repo.dir, 'repository.config.yaml'), 'utf8'), {});
  return { repo, config: config!, commits, steps, locales: ['en-US', 'es-ES'] };
}

/**
 * The error findings a command printed, as `file:line:col: CODE message`, sorted. `plan` prints
 * `file:line:col: error CODE message [kind codeName]` (with warnings); a refused `deploy` prints
 * `  file:line:col: CODE message` under its error line (errors only).
 */
export function diagnosticLines(stderr: string): string[] {
  const out: string[] = [];
  for (const line of stderr.split('\n')) {
    const planned = /^(?:(\S+): )?error (FERRY_E_[A-Z_]+) (.*?)(?: \[[a-zA-Z]+(?: [^\]]*)?\])?$/.exec(line);
    const refused = /^ {2}(?:(\S+): )?(FERRY_E_[A-Z_]+) (.*)$/.exec(line);
    const m = planned ?? refused;
    if (m) out.push(`${m[1] ? `${m[1]}: ` : ''}${m[2]} ${m[3]}`);
  }
  return out.sort();
}

export interface FreshResult {
  ok: boolean;
  diagnostics: string[];
  objects: ObservedObject[];
  storeFile: string;
}

/** Fresh restores of every commit of the sequence, each into a new SQLite store (the oracle). */
export async function freshRestores(seq: Sequence): Promise<FreshResult[]> {
  const dir = tempDir('ferry-diff-fresh-');
  const out: FreshResult[] = [];
  for (const [i, commit] of seq.commits.entries()) {
    const storeFile = join(dir, `fresh-${i}.db`);
    const r = await ferry(seq.repo.dir, ['deploy', '--env', 'dev', '--ref', commit, '--mode', 'Full'], { FERRY_STORE_DEV: `sqlite:${storeFile}` });
    if (r.code !== 0 && r.code !== 1) throw new Error(`fresh restore of step ${i} exited ${r.code}:\n${r.stderr}`);
    const store = SqliteStore.open(storeFile);
    try {
      out.push({ ok: r.code === 0, diagnostics: diagnosticLines(r.stderr), objects: r.code === 0 ? await objectsOfStore(store) : [], storeFile });
    } finally {
      await store.close();
    }
  }
  return out;
}

/**
 * The incremental target of one configuration: a local store or a `ferry serve` instance over
 * one. The local store is of the kind the vitest project tests (`sqlite:` in `default`, a fresh
 * PostgreSQL database in `postgres`); the fresh restores (the oracle) stay on SQLite.
 */
async function openTarget(cfg: DiffConfig, dir: string) {
  const url = await freshStoreUrl(dir, 'target');
  const local = await openStore(url, { cwd: dir });
  if (cfg.store === 'sqlite') {
    const delivery = await startDelivery(local, dir);
    return {
      url,
      store: local,
      deliveryUrl: delivery.url,
      close: async () => (await delivery.stop(), await local.close()),
    };
  }
  const server = await startInstanceServer({
    environment: 'staging',
    store: local,
    secret: DIFF_SECRET,
    tasksFile: join(dir, 'tasks.db'),
    log: () => undefined,
    deliveryHandler: createDeliveryHandler({ environment: 'staging', store: local, credentials: { apiKey: DELIVERY.apiKey, tokens: { website: DELIVERY.token } } }),
  });
  return { url: server.url, store: local, deliveryUrl: server.url, close: async () => (await server.stop(), await local.close()) };
}

/** Throws with a line diff of the two values as JSON when they differ. */
function same(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual, null, 1);
  const e = JSON.stringify(expected, null, 1);
  if (a === e) return;
  const patch = createTwoFilesPatch('expected', 'actual', e, a, undefined, undefined, { context: 3 });
  const lines = patch.split('\n');
  throw new Error(`${what} differ:\n${lines.slice(0, 120).join('\n')}${lines.length > 120 ? `\n… ${lines.length - 120} more diff lines` : ''}`);
}

/**
 * Deploys the sequence's commits one by one in one configuration and checks every step against
 * the oracle. Throws (a vitest assertion) at the first difference, naming the step.
 */
export async function checkConfig(seq: Sequence, fresh: readonly FreshResult[], cfg: DiffConfig): Promise<void> {
  const dir = tempDir('ferry-diff-target-');
  const target = await openTarget(cfg, dir);
  const freshStores = fresh.filter((f) => f.ok).map((f) => SqliteStore.open(f.storeFile));
  const env = { FERRY_STORE_STAGING: target.url, FERRY_SYNC_SECRET: DIFF_SECRET };
  try {
    let before: ObservedObject[] = [];
    let sync: SyncState = await syncInit(target.deliveryUrl);
    for (const [k, commit] of seq.commits.entries()) {
      const where = `${configName(cfg)}, step ${k}${k ? ` (${seq.steps[k - 1].label})` : ' (the sample content)'}`;
      const args = ['--env', 'staging', '--ref', commit, '--mode', cfg.mode, ...(cfg.path === 'listing' ? ['--reconcile'] : [])];
      const plan = await ferry(seq.repo.dir, ['plan', ...args], env);
      const deployed = await ferry(seq.repo.dir, ['deploy', ...args], env);
      const f = fresh[k];
      const planLines = diagnosticLines(plan.stderr);
      const deployLines = diagnosticLines(deployed.stderr);

      // The plan says what the deploy will do: refused with the same findings, or not refused.
      expect([0, 1], `${where}: plan exit\n${plan.stderr}`).toContain(plan.code);
      expect(deployed.code, `${where}: plan exited ${plan.code}, deploy ${deployed.code}\n${plan.stderr}\n${deployed.stderr}`).toBe(plan.code);
      same(deployLines, planLines, `${where}: plan (expected) and deploy (actual) diagnostics`);
      // The same verdict as a fresh restore of the commit, with the same findings; or the mode's own refusal.
      const refusals = f.ok ? createModeRefusals(cfg.mode, before, f.objects, 'staging') : [];
      const accepted = f.ok && !refusals.length;
      expect(deployed.code, `${where}: a fresh restore ${f.ok ? 'succeeded' : 'was refused'}${refusals.length ? ', the mode refuses' : ''}\nfresh: ${f.diagnostics.join('\n')}\nincremental: ${deployed.stderr}`).toBe(accepted ? 0 : 1);
      // A commit a fresh restore refuses may draw Create mode's own refusal too (its objects are not
      // at hand to compute it exactly): the fresh findings, plus only findings of that rule.
      const modeOwn = (l: string) =>
        cfg.mode === 'Create' && /FERRY_E_INCOMPATIBLE .* (which differs on staging and is not updated in Create mode|which is neither on staging nor created by this deployment)$/.test(l);
      if (f.ok) same(deployLines, refusals, `${where}: the mode's refusals (expected) and the deploy's (actual) diagnostics`);
      else same(deployLines.filter((l) => !modeOwn(l) || f.diagnostics.includes(l)), f.diagnostics, `${where}: a fresh restore's (expected) and the deploy's (actual) diagnostics`);

      const expected = accepted ? expectedAfterDeploy(cfg.mode, before, f.objects) : before;
      const actual = await objectsOfStore(target.store);
      same(actual, expected, `${where}: objects`);

      if (accepted && k > 0) {
        const oracle = await materialize(expected, dir, freshStores);
        const oracleDelivery = await startDelivery(oracle, dir);
        try {
          same(await serializedFiles(target.store, seq.config), await serializedFiles(oracle, seq.config), `${where}: ferry serialize files`);
          // Every published entry and asset as delivered, on every step; every delivery endpoint on the last.
          same(syncSnapshot(await syncInit(target.deliveryUrl)), syncSnapshot(await syncInit(oracleDelivery.url)), `${where}: Sync API init`);
          if (k === seq.commits.length - 1) {
            same(await deliveryAnswers(target.deliveryUrl, seq.locales), await deliveryAnswers(oracleDelivery.url, seq.locales), `${where}: delivery API answers`);
          }
        } finally {
          await oracleDelivery.stop();
          await oracle.close();
        }
      }

      // The Sync API's delta from the last token turns the last init into this one.
      const delta = await syncItems(target.deliveryUrl, `/v3/stacks/sync?sync_token=${encodeURIComponent(sync.token)}`);
      const replayed = { entries: new Map(sync.entries), assets: new Map(sync.assets) };
      applySyncItems(replayed, delta.items);
      const now = await syncInit(target.deliveryUrl);
      same(syncSnapshot(replayed), syncSnapshot(now), `${where}: the previous Sync init + the delta (actual) and a new init (expected)`);
      sync = now;
      before = actual;
    }
  } finally {
    await target.close();
    for (const s of freshStores) await s.close();
  }
}

/** The replay script of a sequence, with the deploy commands of one configuration. */
export function replayOf(seq: Sequence, cfg: DiffConfig): string {
  const deploy = `ferry deploy --env staging --mode ${cfg.mode}${cfg.path === 'listing' ? ' --reconcile' : ''}`;
  return `${deploy}   # the sample content\n${replayScript(seq.steps, () => [deploy])}`;
}
