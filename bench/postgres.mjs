// The PostgreSQL store's benchmark: `npm run bench -- --store postgres [--sizes 10000] [--runs 1]`
// (run.mjs hands over to this file). Each Ferry figure is measured beside its floor in the same
// run, on the same throwaway cluster (bench's own, or FERRY_BENCH_POSTGRES_URL), and beside the
// SQLite figure of the same run:
//
// 1. full restore    `ferry deploy` of the base commit into a fresh database | ls-tree + cat-file + js-yaml + raw COPY
// 2. incremental 1%  `ferry deploy` of head onto a copy of (1)               | diff-tree + cat-file + js-yaml + raw upserts, 1 tx
// 3. no-op           `ferry deploy` of a commit with the same tree            | (reported; flatness needs two sizes)
// 4. Sync API init   8 concurrent clients over 2 `ferry serve` replicas, every page of an initial sync: p50/p99 page
//
// Writes bench/.work/RESULTS-postgres.md (or --out).

import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startPostgresCluster } from '../test/support/postgres-cluster.mjs';
import { describeMachine } from './lib/machine.mjs';
import { CLI, runCli, runProbe } from './lib/proc.mjs';
import { ensureRepo, warmPageCache, WORK_DIR } from './lib/repos.mjs';
import { machineSection } from './lib/report.mjs';
import { median } from './lib/stats.mjs';
import { clearDb, copyDb, envDb } from './lib/stores.mjs';

export async function runPostgresBench(argv) {
  const { values } = parseArgs({ args: argv, options: { store: { type: 'string' }, sizes: { type: 'string', default: '10000' }, runs: { type: 'string', default: '1' }, out: { type: 'string' } }, strict: false });
  const sizes = String(values.sizes).split(',').map(Number);
  const runs = Number(values.runs);
  const started = performance.now();
  const log = (s) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${s}\n`);
  const cluster = process.env.FERRY_BENCH_POSTGRES_URL ? undefined : await startPostgresCluster();
  const server = process.env.FERRY_BENCH_POSTGRES_URL ?? cluster?.url;
  if (!server) throw new Error('No PostgreSQL: install it (initdb) or set FERRY_BENCH_POSTGRES_URL');
  let dbs = 0;
  const admin = async (sql) => {
    const c = new pg.Client({ connectionString: server });
    await c.connect();
    try {
      return await c.query(sql);
    } finally {
      await c.end();
    }
  };
  const urlOf = (name) => Object.assign(new URL(server), { pathname: `/${name}` }).toString();
  const freshDb = async (template) => {
    const name = `ferry_bench_${process.pid}_${++dbs}`;
    await admin(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${new URL(template).pathname.slice(1)}` : ''}`);
    return urlOf(name);
  };
  const results = [];
  try {
    for (const items of sizes) {
      const meta = await ensureRepo(items, log);
      warmPageCache(meta);
      const configFile = join(meta.dir, 'repository.config.yaml');
      const original = readFileSync(configFile, 'utf8');
      // The working tree's config is the one read: dev's store from a variable, and delivery credentials for the Sync API.
      writeFileSync(
        configFile,
        original.replace('  - name: dev\n    store: sqlite:.ferry/dev.db\n', '  - name: dev\n    store: ${FERRY_STORE_DEV:-sqlite:.ferry/dev.db}\n    delivery:\n      apiKey: bench-key\n      tokens:\n        bench: bench-token\n'),
      );
      try {
        const r = { items };
        const deploy = (url, ref) => runCli(['deploy', '--env', 'dev', '--ref', ref], { cwd: meta.dir, env: url ? { FERRY_STORE_DEV: url } : {} });
        const sqlite = envDb(meta);
        const times = { restore: [], restoreFloor: [], restoreSqlite: [], inc: [], incFloor: [], incSqlite: [], noop: [], noopSqlite: [] };
        let restored;
        let incremented;
        for (let i = 0; i < runs; i++) {
          log(`${items}: full restore (PostgreSQL, floor, SQLite), run ${i + 1}`);
          const url = await freshDb();
          times.restore.push((await deploy(url, meta.base)).wallMs);
          restored = url;
          const floorDb = await freshDb();
          times.restoreFloor.push((await runProbe('floor-restore-pg', { repo: meta.dir, commit: meta.base, folder: 'content', url: floorDb })).ms);
          clearDb(sqlite);
          times.restoreSqlite.push((await deploy(undefined, meta.base)).wallMs);
          const baseSqlite = join(WORK_DIR, 'stores', `${items}-pg-bench-base.db`);
          mkdirSync(join(WORK_DIR, 'stores'), { recursive: true });
          copyDb(sqlite, baseSqlite);

          log(`${items}: incremental 1% (PostgreSQL, floor, SQLite), run ${i + 1}`);
          const incUrl = await freshDb(restored);
          times.inc.push((await deploy(incUrl, meta.head)).wallMs);
          incremented = incUrl;
          const incFloor = await freshDb(floorDb);
          times.incFloor.push((await runProbe('floor-incremental-pg', { repo: meta.dir, base: meta.base, head: meta.head, folder: 'content', url: incFloor })).ms);
          copyDb(baseSqlite, sqlite);
          times.incSqlite.push((await deploy(undefined, meta.head)).wallMs);

          log(`${items}: no-op deploy, run ${i + 1}`);
          times.noop.push((await deploy(incremented, meta.noop)).wallMs);
          times.noopSqlite.push((await deploy(undefined, meta.noop)).wallMs);
        }
        for (const [k, v] of Object.entries(times)) r[k] = median(v);

        log(`${items}: Sync API init, 8 clients over 2 replicas (PostgreSQL), then over 1 SQLite instance`);
        r.syncPg = await syncLoad(meta.dir, [{ FERRY_STORE_DEV: incremented }, { FERRY_STORE_DEV: incremented }]);
        r.syncSqlite = await syncLoad(meta.dir, [{}]);
        results.push(r);
      } finally {
        writeFileSync(configFile, original);
      }
    }
  } finally {
    cluster?.stop();
  }
  const md = report(results, runs, machineSection(await describeMachine()));
  const out = values.out ?? join(WORK_DIR, 'RESULTS-postgres.md');
  writeFileSync(out, md);
  process.stdout.write(md);
  log(`wrote ${out}`);
}

/** Starts one `ferry serve` per env, runs 8 clients (spread over them) through a whole initial sync each; page latencies. */
async function syncLoad(cwd, envs) {
  const servers = [];
  try {
    for (const env of envs) servers.push(await serve(cwd, env));
    const pages = [];
    const client = async (base) => {
      let target = '/v3/stacks/sync?init=true';
      for (;;) {
        const t0 = performance.now();
        const page = await getJson(base, target);
        pages.push(performance.now() - t0);
        if (!page.pagination_token) return;
        target = `/v3/stacks/sync?pagination_token=${encodeURIComponent(page.pagination_token)}`;
      }
    };
    await Promise.all(Array.from({ length: 8 }, (_, i) => client(servers[i % servers.length].url)));
    pages.sort((a, b) => a - b);
    const pct = (p) => pages[Math.min(pages.length - 1, Math.floor((p / 100) * pages.length))];
    return { pages: pages.length, p50: pct(50), p99: pct(99) };
  } finally {
    for (const s of servers) s.child.kill('SIGTERM');
    await Promise.all(servers.map((s) => s.exited));
  }
}

function serve(cwd, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'serve', '--env', 'dev', '--port', '0'], {
      cwd,
      env: { ...process.env, FERRY_SYNC_SECRET: 'bench-sync-secret-0123456789abcdef-0123', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise((r) => child.on('exit', r));
    let buf = '';
    let err = '';
    child.stderr.on('data', (c) => (err += c));
    child.stdout.on('data', (c) => {
      buf += c;
      const nl = buf.indexOf('\n');
      if (nl !== -1 && !child.resolved) {
        child.resolved = true;
        const line = JSON.parse(buf.slice(0, nl));
        resolve({ child, exited, url: line.url });
        child.stdout.resume();
      }
    });
    child.on('exit', (code) => {
      if (!child.resolved) reject(new Error(`ferry serve exited ${code}: ${err}`));
    });
  });
}

function getJson(base, target) {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname: u.hostname, port: u.port, path: target, headers: { api_key: 'bench-key', access_token: 'bench-token' } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200) reject(new Error(`GET ${target}: ${res.statusCode} ${body.slice(0, 300)}`));
        else resolve(JSON.parse(body));
      });
    });
    req.on('error', reject);
    req.end();
  });
}

function report(results, runs, machine) {
  const ms = (v) => `${Math.round(v)} ms`;
  const x = (a, b) => `${(a / b).toFixed(2)}x`;
  let md = '# PostgreSQL store benchmark\n\n';
  md += `${machine}\n`;
  md += `Medians of ${runs} run(s). Ferry figures are whole \`ferry\` processes (wall); floors are in-process work (after start-up), so ratios include Ferry's ~150 ms start-up.\n\n`;
  md += '| items | measure | PostgreSQL | floor | ÷ floor | SQLite, same run | PostgreSQL ÷ SQLite |\n| --- | --- | --- | --- | --- | --- | --- |\n';
  for (const r of results) {
    md += `| ${r.items} | full restore | ${ms(r.restore)} | ${ms(r.restoreFloor)} (raw COPY) | ${x(r.restore, r.restoreFloor)} | ${ms(r.restoreSqlite)} | ${x(r.restore, r.restoreSqlite)} |\n`;
    md += `| ${r.items} | incremental 1% | ${ms(r.inc)} | ${ms(r.incFloor)} (raw upserts, 1 tx) | ${x(r.inc, r.incFloor)} | ${ms(r.incSqlite)} | ${x(r.inc, r.incSqlite)} |\n`;
    md += `| ${r.items} | no-op deploy | ${ms(r.noop)} | — | — | ${ms(r.noopSqlite)} | ${x(r.noop, r.noopSqlite)} |\n`;
    md += `| ${r.items} | Sync API init, 8 clients, page p50 / p99 | ${ms(r.syncPg.p50)} / ${ms(r.syncPg.p99)} (2 replicas, ${r.syncPg.pages} pages) | — | — | ${ms(r.syncSqlite.p50)} / ${ms(r.syncSqlite.p99)} (1 instance) | ${x(r.syncPg.p99, r.syncSqlite.p99)} (p99) |\n`;
  }
  return md;
}

if (import.meta.url === `file://${process.argv[1]}`) await runPostgresBench(process.argv.slice(2));
