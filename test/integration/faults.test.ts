/**
 * Faults and concurrency with real processes: kill -9 a deploying CLI at random points, and two
 * deployers racing for one environment. Slow (about a minute): it spawns ~25 CLI processes.
 */
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, ferry } from '../support/sample-repo.js';
import { deploymentRows, dumpStore } from '../support/store-dump.js';

const BIN = join(PROJECT_ROOT, 'dist', 'cli', 'bin.js');
let work: string;
let repoDir: string;
let baseCommit: string;
let headCommit: string;
let beforeDump: string;
let afterDump: string;
let baseStore: string;
let fullRunMs = 0;

const storeFile = () => join(repoDir, '.ferry', 'dev.db');

/**
 * A store dump without its blob rows, and the blob rows alone: binaries are stored before the
 * deployment's transaction (DESIGN.md, content-addressed), so a deploy killed after storing some
 * leaves those behind, and only them.
 */
const withoutBlobs = (dump: string): string => JSON.stringify((JSON.parse(dump) as unknown[]).slice(0, 3));
const blobsOf = (dump: string): string[] => ((JSON.parse(dump) as unknown[][])[3] as Array<{ sha256: string }>).map((b) => b.sha256);

function copyStore(from: string, to: string): void {
  rmSync(`${to}-wal`, { force: true });
  rmSync(`${to}-shm`, { force: true });
  copyFileSync(from, to);
  // The blob folder is part of the store: one left from an earlier run would hold the binaries
  // the deploy is about to store, so it would find them there and write no blob rows.
  rmSync(`${to}.blobs`, { recursive: true, force: true });
  if (existsSync(`${from}.blobs`)) execFileSync('cp', ['-r', `${from}.blobs`, `${to}.blobs`]);
}

function runCli(args: string[]): { child: ReturnType<typeof spawn>; done: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: repoDir, env: { ...process.env, CI: 'true', NO_COLOR: '1' }, stdio: 'ignore' });
  const done = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, done };
}

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error('Build first: npm run build (npm test does it)');
  work = mkdtempSync(join(tmpdir(), 'ferry-faults-'));
  repoDir = join(work, 'repo');
  const out = execFileSync(process.execPath, [join(PROJECT_ROOT, 'bench', 'generate.mjs'), '--items', '1500', '--out', repoDir, '--seed', '7', '--change-percent', '40', '--add-percent', '5', '--delete-percent', '2'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  ({ baseCommit, headCommit } = JSON.parse(out));
  expect((await ferry(repoDir, ['deploy', '--env', 'dev', '--ref', baseCommit])).code).toBe(0);
  baseStore = join(work, 'base.db');
}, 180_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('kill -9 while deploying', () => {
  it('leaves the store exactly before or after, and the next deploy succeeds (20 runs)', async () => {
    // Checkpoint the WAL so a plain file copy is the whole store.
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(storeFile());
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    copyFileSync(storeFile(), baseStore);
    if (existsSync(`${storeFile()}.blobs`)) execFileSync('cp', ['-r', `${storeFile()}.blobs`, `${baseStore}.blobs`]);
    beforeDump = dumpStore(storeFile());

    const started = Date.now();
    const full = runCli(['deploy', '--env', 'dev', '--ref', headCommit]);
    expect(await full.done).toBe(0);
    fullRunMs = Date.now() - started;
    afterDump = dumpStore(storeFile());
    expect(afterDump).not.toBe(beforeDump);

    const outcomes = { before: 0, after: 0 };
    for (let i = 0; i < 20; i++) {
      copyStore(baseStore, storeFile());
      const { child, done } = runCli(['deploy', '--env', 'dev', '--ref', headCommit]);
      // Spread the kill points over the whole run, from startup to commit.
      const delay = Math.round(((i + 0.5) / 20) * fullRunMs * 2);
      await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGKILL');
      await done;
      const dump = dumpStore(storeFile());
      const state = withoutBlobs(dump) === withoutBlobs(beforeDump) ? 'before' : withoutBlobs(dump) === withoutBlobs(afterDump) ? 'after' : 'mixed';
      expect(state, `run ${i}, killed after ${delay} ms`).not.toBe('mixed');
      const blobs = new Set(blobsOf(dump));
      expect(blobsOf(beforeDump).filter((b) => !blobs.has(b)), `run ${i}: blob rows lost`).toEqual([]);
      expect([...blobs].filter((b) => !blobsOf(afterDump).includes(b)), `run ${i}: blob rows of no deployment`).toEqual([]);
      outcomes[state as 'before' | 'after'] += 1;

      const next = await ferry(repoDir, ['deploy', '--env', 'dev', '--ref', headCommit, '--lock-timeout', '5']);
      expect(next.code, next.stderr).toBe(0);
      expect(dumpStore(storeFile())).toBe(afterDump);
      const rows = deploymentRows(storeFile());
      expect(rows.some((r) => r.status === 'running')).toBe(false);
    }
    // Both outcomes must have happened for the test to mean anything.
    expect(outcomes.before).toBeGreaterThan(0);
    expect(outcomes.after).toBeGreaterThan(0);
  }, 600_000);
});

describe('two deployers at once', () => {
  it('are serialized: one applies, the other waits and finds nothing to do', async () => {
    copyStore(baseStore, storeFile());
    const a = runCli(['deploy', '--env', 'dev', '--ref', headCommit]);
    const b = runCli(['deploy', '--env', 'dev', '--ref', headCommit]);
    expect(await a.done).toBe(0);
    expect(await b.done).toBe(0);
    const rows = deploymentRows(storeFile()).slice(-2);
    expect(rows.map((r) => r.status).sort()).toEqual(['no-op', 'succeeded']);
    expect(dumpStore(storeFile())).toBe(afterDump);
  }, 120_000);
});
