/**
 * Faults on a PostgreSQL store with real processes: kill -9 of a deploying CLI at points spread
 * over its run leaves the database exactly before or after the deployment (PostgreSQL rolls back
 * the transaction of a vanished session, and the advisory lock goes with it), and two deployers
 * at once are serialized by the advisory lock.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { freshPostgresUrl, hasPostgres, postgresServerUrl, sqlOn } from '../support/postgres.js';
import { PROJECT_ROOT, ferry } from '../support/sample-repo.js';

const BIN = join(PROJECT_ROOT, 'dist', 'cli', 'bin.js');
let work: string;
let repoDir: string;
let headCommit: string;
let baseDb: string;
let beforeDump: string;
let afterDump: string;
let copies = 0;

/** What the store holds, through Ferry's public reads (event times and deployment ids left out: runs differ there). */
async function dumpStore(url: string): Promise<string> {
  const store = await openStore(url, { cwd: repoDir });
  try {
    const objects = await store.listObjects();
    const changes = (await store.changes(0, 10_000_000)).map(({ deploymentId: _d, at: _a, ...e }) => e);
    const last = await store.lastSuccessfulDeployment();
    return JSON.stringify({ objects, changes, drift: await store.drift(), deployed: last?.toCommit ?? null });
  } finally {
    await store.close();
  }
}

/** A new database copied from the base one (PostgreSQL's template copy). */
async function copyOfBase(): Promise<string> {
  const name = `${baseDb}_c${++copies}`;
  await sqlOn(postgresServerUrl(), `CREATE DATABASE ${name} TEMPLATE ${baseDb}`);
  const u = new URL(postgresServerUrl());
  u.pathname = `/${name}`;
  return u.toString();
}

function deployProcess(url: string): { child: ReturnType<typeof spawn>; done: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, 'deploy', '--env', 'dev', '--ref', headCommit], {
    cwd: repoDir,
    env: { ...process.env, CI: 'true', NO_COLOR: '1', FERRY_STORE_DEV: url },
    stdio: 'ignore',
  });
  return { child, done: new Promise((resolve) => child.on('exit', (code) => resolve(code))) };
}

describe.skipIf(!hasPostgres())('PostgreSQL store faults', () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'ferry-pg-faults-'));
    repoDir = join(work, 'repo');
    const out = execFileSync(process.execPath, [join(PROJECT_ROOT, 'bench', 'generate.mjs'), '--items', '1500', '--out', repoDir, '--seed', '7', '--change-percent', '40', '--add-percent', '5', '--delete-percent', '2'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const commits = JSON.parse(out) as { baseCommit: string; headCommit: string };
    // The generated config names a SQLite file; point dev at the variable (the working tree's
    // config is the one read).
    const config = join(repoDir, 'repository.config.yaml');
    writeFileSync(config, readFileSync(config, 'utf8').replace('store: sqlite:.ferry/dev.db', 'store: ${FERRY_STORE_DEV}'));
    headCommit = commits.headCommit;
    const base = await freshPostgresUrl('ferry_faults');
    baseDb = new URL(base).pathname.slice(1);
    const first = await ferry(repoDir, ['deploy', '--env', 'dev', '--ref', commits.baseCommit], { FERRY_STORE_DEV: base });
    expect(first.code, first.stderr).toBe(0);
    beforeDump = await dumpStore(base);
  }, 180_000);
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('kill -9 of a deploying CLI leaves the database exactly before or after, and the next deploy succeeds', async () => {
    const reference = await copyOfBase();
    const started = Date.now();
    const full = deployProcess(reference);
    expect(await full.done).toBe(0);
    const fullRunMs = Date.now() - started;
    afterDump = await dumpStore(reference);
    expect(afterDump).not.toBe(beforeDump);

    const outcomes = { before: 0, after: 0 };
    const runs = 8;
    for (let i = 0; i < runs; i++) {
      const url = await copyOfBase();
      const { child, done } = deployProcess(url);
      const delay = Math.round(((i + 0.5) / runs) * fullRunMs * 1.6);
      await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGKILL');
      await done;
      const dump = await dumpStore(url);
      const state = dump === beforeDump ? 'before' : dump === afterDump ? 'after' : 'mixed';
      expect(state, `run ${i}, killed after ${delay} ms`).not.toBe('mixed');
      outcomes[state as 'before' | 'after'] += 1;

      // The killed session's lock went with it: the next deploy does not wait for it.
      const next = await ferry(repoDir, ['deploy', '--env', 'dev', '--ref', headCommit, '--lock-timeout', '5'], { FERRY_STORE_DEV: url });
      expect(next.code, next.stderr).toBe(0);
      expect(await dumpStore(url)).toBe(afterDump);
      const running = await sqlOn(url, "SELECT id FROM deployments WHERE status = 'running'");
      expect(running).toEqual([]);
    }
    expect(outcomes.before).toBeGreaterThan(0);
    expect(outcomes.after).toBeGreaterThan(0);
  }, 600_000);

  it('two deployers at once are serialized by the advisory lock: one applies, the other waits and finds nothing to do', async () => {
    const url = await copyOfBase();
    const a = deployProcess(url);
    const b = deployProcess(url);
    expect(await a.done).toBe(0);
    expect(await b.done).toBe(0);
    const rows = await sqlOn<{ status: string }>(url, 'SELECT status FROM deployments ORDER BY id DESC LIMIT 2');
    expect(rows.map((r) => r.status).sort()).toEqual(['no-op', 'succeeded']);
    expect(await dumpStore(url)).toBe(afterDump);
  }, 120_000);
});
