#!/usr/bin/env node
// Sync API load test (issue 7): an initial sync of N published entries through all pages by C
// concurrent clients against a real instance on loopback, then a delta after a deployment.
// Uses the built library (dist/, `npm run build`). Plain Node ESM.
//
//   node bench/sync-api.mjs [--entries 100000] [--clients 8] [--changes 1000] [--out bench/RESULTS-sync.md]
//                           [--restore-writes 8000] [--restore-thread on|off]
//
// Serving during a restore (issue 15): the same clients page through the Sync API while a
// /healthz poller runs, first for a few seconds with nothing else going on, then while a remote
// deployment of `--restore-writes` edited entries is posted to the instance and restored.
// `--restore-thread off` commits on the request thread (as before issue 15), for comparison.
//
// The instance runs in its own process (`--serve FILE`, started by this script) so that clients
// and server do not share one event loop. Content is written straight through the store's
// commitDeployment (with the change-log events a deployment writes) to save generating and
// deploying a git repository of N items. The floor beside each figure is the same keyset query
// and JSON encoding done in-process on a raw better-sqlite3 connection, without HTTP.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
const API_KEY = 'blt-bench';
const TOKEN = 'cs-bench-token';
const AUTH = { api_key: API_KEY, access_token: TOKEN };
const SYNC_SECRET = 'bench-sync-secret-0123456789abcdef-0123';

const { values } = parseArgs({
  options: {
    entries: { type: 'string', default: '100000' },
    clients: { type: 'string', default: '8' },
    changes: { type: 'string', default: '1000' },
    out: { type: 'string', default: join(ROOT, 'bench', 'RESULTS-sync.md') },
    serve: { type: 'string' },
    'restore-writes': { type: 'string', default: '8000' },
    'restore-thread': { type: 'string', default: 'on' },
    keep: { type: 'boolean', default: false },
  },
});


// ---- the instance (child process) ---------------------------------------------------------------

async function serve(file) {
  const { SqliteStore } = await import(join(DIST, 'store', 'index.js'));
  const { startInstanceServer } = await import(join(DIST, 'transport', 'server', 'instance-server.js'));
  const { createDeliveryHandler } = await import(join(DIST, 'transport', 'delivery', 'index.js'));
  const store = SqliteStore.open(file);
  const server = await startInstanceServer({
    environment: 'prod',
    store,
    secret: SYNC_SECRET,
    ...(values['restore-thread'] === 'off' ? {} : { restoreOffThread: { url: `sqlite:${file}`, cwd: ROOT } }),
    tasksFile: `${file}.tasks.db`,
    log: () => undefined,
    deliveryHandler: timed(createDeliveryHandler({ environment: 'prod', store, credentials: { apiKey: API_KEY, tokens: { bench: TOKEN } } })),
  });
  process.stdout.write(`${JSON.stringify({ port: server.port })}\n`);
  process.on('SIGTERM', async () => {
    await server.stop();
    await store.close();
    process.exit(0);
  });
}

/**
 * Records how long the instance spends on each request (arrival to the last byte written), so the
 * report can tell server time from client-side queueing. `GET /v3/__bench_stats` returns and resets them.
 */
function timed(handler) {
  let ms = [];
  // Event-loop delay of the instance (how long the request thread was busy with one thing).
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  let elu = performance.eventLoopUtilization();
  return async (req, res) => {
    if (req.url === '/v3/__bench_loop') {
      const since = performance.eventLoopUtilization(elu);
      elu = performance.eventLoopUtilization();
      // busyMs: time the request thread spent running (not waiting), whatever the machine's load.
      const body = JSON.stringify({ p99: loop.percentile(99) / 1e6, max: loop.max / 1e6, busyMs: since.active, utilization: since.utilization });
      loop.reset();
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      return true;
    }
    if (req.url === '/v3/__bench_stats') {
      const body = JSON.stringify(ms);
      ms = [];
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      return true;
    }
    const t0 = performance.now();
    res.once('finish', () => ms.push(performance.now() - t0));
    return handler(req, res);
  };
}

// ---- content -------------------------------------------------------------------------------------

const TYPES = 20;
const guid = (i, tag = 0) => `${String(i).padStart(8, '0')}-${String(tag).padStart(4, '0')}-4000-8000-000000000000`;
const WORDS = 'coffee bean roast crema harbour ferry pour kettle aroma cup origin natural washed honey bright sweet'.split(' ');
const text = (i, n) => Array.from({ length: n }, (_, k) => WORDS[(i * 7 + k * 3) % WORDS.length]).join(' ');

function item(i, version = 1) {
  return {
    kind: 'contentItem',
    guid: guid(i),
    codeName: `item-${String(i).padStart(8, '0')}`,
    contentType: `type-${i % TYPES}`,
    workspace: 'main',
    fields: { rank: i, related: [guid((i + 1) % 1000)], tags: ['coffee', WORDS[i % WORDS.length]] },
    variants: {
      'en-US': {
        status: 'published',
        displayName: `Item ${i}${version > 1 ? ` v${version}` : ''}`,
        fields: { title: `Item ${i}`, summary: text(i, 20), body: `<p>${text(i, 60)}</p>\n<p>${text(i + 1, 60)}</p>` },
      },
      ...(i % 20 === 0 ? { 'es-ES': { status: 'draft', displayName: `Artículo ${i}`, fields: { title: `Artículo ${i}` } } } : {}),
    },
  };
}

function supporting() {
  const field = (name, type, localized) => ({ guid: guid(900000 + name.length, name.charCodeAt(0)), name, type, required: false, localized });
  const types = Array.from({ length: TYPES }, (_, t) => ({
    kind: 'contentType',
    guid: guid(990000 + t),
    codeName: `type-${t}`,
    displayName: `Type ${t}`,
    usage: 'reusable',
    fields: [field('title', 'text', true), field('summary', 'longText', true), field('body', 'richText', true), field('rank', 'integer', false), field('related', 'contentItems', false), field('tags', 'taxonomy', false)],
  }));
  return [
    { kind: 'language', codeName: 'en-US', displayName: 'English', isDefault: true },
    { kind: 'language', codeName: 'es-ES', displayName: 'Spanish', isDefault: false, fallback: 'en-US' },
    { kind: 'workspace', guid: guid(999999), codeName: 'main', displayName: 'Main' },
    ...types,
  ];
}

const put = (o) => ({ op: 'put', object: o, path: `content/${o.kind}/${o.codeName}.yaml`, sourceHash: '0'.repeat(40) });
const COUNTS = { create: 0, update: 0, delete: 0, rename: 0, publish: 0, unpublish: 0, skip: 0 };

async function deployItems(store, items, at, extra = []) {
  const d = await store.startDeployment({ environment: 'prod', source: 'bench', mode: 'CreateUpdate', actor: 'bench', startedAt: at });
  const events = items.map((o) => ({ type: 'entry_published', key: o.guid, kind: 'contentItem', contentType: o.contentType, locale: 'en-US', at }));
  await store.commitDeployment(d.id, [...extra, ...items].map(put), events, COUNTS, at);
}

async function populate(file, n) {
  const { SqliteStore } = await import(join(DIST, 'store', 'index.js'));
  const store = SqliteStore.open(file);
  const t0 = performance.now();
  const chunk = 10_000;
  for (let from = 0; from < n; from += chunk) {
    const items = Array.from({ length: Math.min(chunk, n - from) }, (_, k) => item(from + k));
    await deployItems(store, items, new Date(Date.UTC(2026, 0, 1, 0, 0, from / chunk)).toISOString(), from === 0 ? supporting() : []);
  }
  const ms = performance.now() - t0;
  await store.close();
  return ms;
}

// ---- clients -----------------------------------------------------------------------------------

/**
 * One GET; the latency is to the last byte. With `light`, only the page's tail (skip, limit,
 * total_count, token) is parsed and items are counted by their `event_at` keys, so that eight
 * clients in one process cost little CPU beside the instance.
 */
function get(agent, port, target, light = false) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = http.get({ host: '127.0.0.1', port, path: target, headers: AUTH, agent }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const ms = performance.now() - t0;
        const body = Buffer.concat(chunks);
        if (res.statusCode !== 200) return reject(new Error(`GET ${target}: ${res.statusCode} ${body.toString('utf8').slice(0, 300)}`));
        const text = body.toString('utf8');
        if (!light) return resolve({ ms, bytes: body.length, json: JSON.parse(text) });
        const tail = JSON.parse(`{${text.slice(text.lastIndexOf('],"skip":') + 2)}`);
        resolve({ ms, bytes: body.length, json: { ...tail, items: { length: text.split('"event_at":').length - 1 } } });
      });
    });
    req.on('error', reject);
  });
}

/**
 * One client's whole sync from `first`: every page's latency, the items, the final sync token.
 * With `check`, every entry's uid/locale is collected to prove there are no duplicates (kept off
 * for most concurrent clients, so the load generator stays light).
 */
async function syncThrough(agent, port, first, check = true) {
  const latencies = [];
  let items = 0;
  let bytes = 0;
  const uids = new Set();
  let target = first;
  for (;;) {
    const r = await get(agent, port, target, !check);
    latencies.push(r.ms);
    items += r.json.items.length;
    bytes += r.bytes;
    if (check) for (const i of r.json.items) uids.add(`${i.data.uid}/${i.data.locale}`);
    if (r.json.sync_token !== undefined) return { latencies, items, unique: check ? uids.size : items, bytes, syncToken: r.json.sync_token, total: r.json.total_count };
    target = `/v3/stacks/sync?pagination_token=${encodeURIComponent(r.json.pagination_token)}`;
  }
}

async function runClients(port, c, first) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: c });
  await get(agent, port, '/v3/__bench_stats');
  const t0 = performance.now();
  const runs = await Promise.all(Array.from({ length: c }, (_, k) => syncThrough(agent, port, first, k === 0)));
  const wall = performance.now() - t0;
  const server = (await get(agent, port, '/v3/__bench_stats')).json;
  agent.destroy();
  return { runs, wall, server };
}

// ---- serving during a restore ---------------------------------------------------------------------

/**
 * `c` clients page through initial syncs (starting over at the end) and one poller asks /healthz
 * back to back, until `until` settles. Returns every page's and every /healthz answer's latency.
 */
async function loadUntil(port, c, until) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: c + 1 });
  let stop = false;
  void until.finally(() => (stop = true));
  const pages = [];
  const health = [];
  const client = async (k) => {
    let target = `/v3/stacks/sync?init=true&content_type_uid=type-${k % TYPES}`;
    while (!stop) {
      const r = await get(agent, port, target, true);
      pages.push(r.ms);
      target = r.json.pagination_token ? `/v3/stacks/sync?pagination_token=${encodeURIComponent(r.json.pagination_token)}` : `/v3/stacks/sync?init=true&content_type_uid=type-${k % TYPES}`;
    }
  };
  const poller = async () => {
    while (!stop) health.push((await get(agent, port, '/healthz')).ms);
  };
  await Promise.all([...Array.from({ length: c }, (_, k) => client(k)), poller(), until]);
  agent.destroy();
  return { pages, health };
}

/** A remote deployment of `m` edited entries through the sync API (signed package, task, restore). */
async function remoteDeploy(port, m, at) {
  const { RemoteStore } = await import(join(DIST, 'transport', 'client', 'remote-store.js'));
  const remote = await RemoteStore.open({ url: `http://127.0.0.1:${port}`, secret: SYNC_SECRET });
  try {
    const t0 = performance.now();
    const d = await remote.startDeployment({ environment: 'prod', source: 'bench', mode: 'CreateUpdate', actor: 'bench', startedAt: at });
    const items = Array.from({ length: m }, (_, k) => item(k, 3));
    const events = items.map((o) => ({ type: 'entry_published', key: o.guid, kind: 'contentItem', contentType: o.contentType, locale: 'en-US', at }));
    const record = await remote.commitDeployment(d.id, items.map(put), events, COUNTS, at);
    if (record.status !== 'succeeded') throw new Error(`the bench deployment ended ${record.status}`);
    return performance.now() - t0;
  } finally {
    await remote.close();
  }
}

async function duringRestore(port, c, m) {
  // Idle first, for about as long as a restore of this size takes here (at least 3 s).
  const probe = { ms: 3000 };
  const agent = new http.Agent({ keepAlive: false });
  const loop = async () => (await get(agent, port, '/v3/__bench_loop')).json;
  await loop();
  const idle = await loadUntil(port, c, new Promise((r) => setTimeout(r, probe.ms)));
  const idleLoop = await loop();
  let deployMs = 0;
  const busy = await loadUntil(port, c, remoteDeploy(port, m, '2026-03-01T00:00:00.000Z').then((ms) => (deployMs = ms)));
  const busyLoop = await loop();
  return {
    writes: m,
    deployMs,
    idle: { pages: stats(idle.pages), health: stats(idle.health), loop: idleLoop },
    busy: { pages: stats(busy.pages), health: stats(busy.health), loop: busyLoop },
  };
}

// ---- floor -------------------------------------------------------------------------------------

/** The same pages read in-process: keyset query of 100 variants + JSON parse/encode, no HTTP. */
async function floor(file) {
  const Database = (await import(join(ROOT, 'node_modules', 'better-sqlite3', 'lib', 'index.js'))).default;
  const db = new Database(file, { readonly: true });
  const st = db.prepare(`SELECT key, kind, locale, content_type, status, display_name, slug, data, created_at, updated_at, published_at, version, change_seq
    FROM variants WHERE status = 'published' AND (content_type, locale, key) > (?, ?, ?) ORDER BY content_type, locale, key LIMIT 100`);
  const latencies = [];
  let after = ['', '', ''];
  let rows = 0;
  for (;;) {
    const t0 = performance.now();
    const page = st.all(...after);
    JSON.stringify(page.map((r) => ({ ...r, data: JSON.parse(r.data) })));
    latencies.push(performance.now() - t0);
    rows += page.length;
    if (page.length < 100) break;
    const last = page.at(-1);
    after = [last.content_type, last.locale, last.key];
  }
  db.close();
  return { latencies, rows };
}

// ---- main --------------------------------------------------------------------------------------

function quantile(sorted, q) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}
const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return { n: s.length, p50: quantile(s, 0.5), p99: quantile(s, 0.99), max: s.at(-1) ?? NaN };
};
let LOAD_START = [0, 0, 0];
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : '–');

async function main() {
  const n = Number(values.entries);
  const c = Number(values.clients);
  const changes = Math.min(Number(values.changes), n);
  const dir = mkdtempSync(join(tmpdir(), 'ferry-bench-sync-'));
  const file = join(dir, 'prod.db');
  const log = (m) => process.stderr.write(`[${((performance.now() - START) / 1000).toFixed(1)}s] ${m}\n`);
  const START = performance.now();
  LOAD_START = loadavg();
  let child;
  try {
    log(`populating ${n} published entries`);
    const populateMs = await populate(file, n);
    log(`populated in ${(populateMs / 1000).toFixed(1)} s`);

    const fl = await floor(file);
    log(`floor: ${fl.rows} rows in ${fl.latencies.length} pages`);

    const prof = process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : [];
    child = spawn(process.execPath, [...prof, fileURLToPath(import.meta.url), '--serve', file], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [line] = await Promise.race([once(child.stdout, 'data'), once(child, 'exit').then(() => { throw new Error('instance exited'); })]);
    const port = JSON.parse(String(line).split('\n')[0]).port;
    log(`instance on 127.0.0.1:${port}`);

    // Warm up (statement caches, JIT), then one client alone, then C at once.
    await runClients(port, 1, '/v3/stacks/sync?init=true&content_type_uid=type-1');
    const single = await runClients(port, 1, '/v3/stacks/sync?init=true');
    log(`1 client: ${(single.wall / 1000).toFixed(2)} s`);
    const many = await runClients(port, c, '/v3/stacks/sync?init=true');
    log(`${c} clients: ${(many.wall / 1000).toFixed(2)} s`);
    for (const r of [...single.runs, ...many.runs]) {
      if (r.items !== n || r.unique !== n || r.total !== n) throw new Error(`a client got ${r.items} items (${r.unique} unique, total_count ${r.total}), expected ${n}`);
    }

    // A deployment of `changes` edited entries, then a delta from a finished init's token.
    const { SqliteStore } = await import(join(DIST, 'store', 'index.js'));
    const writer = SqliteStore.open(file);
    const step = Math.max(1, Math.floor(n / changes));
    await deployItems(writer, Array.from({ length: changes }, (_, k) => item(k * step, 2)), '2026-02-01T00:00:00.000Z');
    await writer.close();
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const empty = await syncThrough(agent, port, `/v3/stacks/sync?sync_token=${encodeURIComponent(many.runs[0].syncToken)}`);
    const t0 = performance.now();
    const delta = await syncThrough(agent, port, `/v3/stacks/sync?sync_token=${encodeURIComponent(single.runs[0].syncToken)}`);
    const deltaWall = performance.now() - t0;
    const none = await syncThrough(agent, port, `/v3/stacks/sync?sync_token=${encodeURIComponent(delta.syncToken)}`);
    agent.destroy();
    if (delta.items !== changes) throw new Error(`delta returned ${delta.items} items, expected ${changes}`);
    if (none.items !== 0) throw new Error(`a delta after the last one returned ${none.items} items`);
    void empty;

    const restoreWrites = Math.min(Number(values['restore-writes']), n);
    let restore;
    if (restoreWrites > 0) {
      log(`serving during a restore of ${restoreWrites} writes (restore thread ${values['restore-thread']})`);
      restore = await duringRestore(port, c, restoreWrites);
      log(`restore: ${(restore.deployMs / 1000).toFixed(2)} s; /healthz p99 ${f1(restore.idle.health.p99)} → ${f1(restore.busy.health.p99)} ms; page p99 ${f1(restore.idle.pages.p99)} → ${f1(restore.busy.pages.p99)} ms; loop delay max ${f1(restore.idle.loop.max)} → ${f1(restore.busy.loop.max)} ms; request-thread utilization ${restore.idle.loop.utilization.toFixed(2)} → ${restore.busy.loop.utilization.toFixed(2)}`);
    }

    const s1 = stats(single.runs[0].latencies);
    const sc = stats(many.runs.flatMap((r) => r.latencies));
    const sf = stats(fl.latencies);
    const sd = stats(delta.latencies);
    const ss1 = stats(single.server);
    const ssc = stats(many.server);
    const sn = stats(none.latencies);
    const summary = {
      entries: n,
      clients: c,
      populateSeconds: populateMs / 1000,
      single: { wallSeconds: single.wall / 1000, entriesPerSecond: n / (single.wall / 1000), pages: s1 },
      concurrent: { wallSeconds: many.wall / 1000, entriesPerSecond: (n * c) / (many.wall / 1000), pages: sc, mbPerClient: many.runs[0].bytes / 1e6 },
      floor: { pages: sf },
      server: { single: ss1, concurrent: ssc },
      delta: { events: changes, wallMs: deltaWall, pages: sd, emptyDeltaMs: sn.max },
      target: { p99PageMs: 50, met: sc.p99 < 50 },
      ...(restore
        ? {
            duringRestore: {
              ...restore,
              restoreThread: values['restore-thread'] !== 'off',
              healthzTargetMet: restore.busy.health.p99 < 100,
              pageRatio: restore.busy.pages.p99 / restore.idle.pages.p99,
              pageTargetMet: restore.busy.pages.p99 <= 1.5 * restore.idle.pages.p99,
            },
          }
        : {}),
      loadAverage: { start: LOAD_START, end: loadavg() },
    };
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    writeFileSync(values.out, renderMarkdown(summary));
    log(`wrote ${values.out}`);
  } finally {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
    else log(`kept ${dir}`);
  }
}

function renderMarkdown(s) {
  const m = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`;
  return `# Sync API benchmark (\`node bench/sync-api.mjs\`)

Initial sync of **${s.entries.toLocaleString('en-US')} published entries** through every page (100 items a page) against a
real instance (\`startInstanceServer\` + the delivery handler, its own process) on loopback, by ${s.clients} concurrent
clients, each following pagination tokens to the end (keep-alive HTTP, \`api_key\` + delivery token). Then a
deployment of ${s.delta.events.toLocaleString('en-US')} edited entries and a delta sync from a token of the finished init.
Every client is checked to receive exactly ${s.entries.toLocaleString('en-US')} distinct entries and the delta exactly ${s.delta.events.toLocaleString('en-US')}.

Machine: ${m}; load average ${s.loadAverage.start.map((x) => x.toFixed(1)).join(' / ')} at the start and
${s.loadAverage.end.map((x) => x.toFixed(1)).join(' / ')} at the end (1 / 5 / 15 min: other work on the machine shows here). Content written with the store's \`commitDeployment\` (with change-log events) in
${s.populateSeconds.toFixed(1)} s; entries of 20 content types, ~1 KB each (title, summary, two-paragraph HTML body, rank,
a reference, tags).

| measure | value |
| --- | --- |
| ${s.clients} clients: entries/s (all clients together) | **${Math.round(s.concurrent.entriesPerSecond).toLocaleString('en-US')}** |
| ${s.clients} clients: page latency p50 / p99 / max | **${f1(s.concurrent.pages.p50)} / ${f1(s.concurrent.pages.p99)} / ${f1(s.concurrent.pages.max)} ms** (${s.concurrent.pages.n.toLocaleString('en-US')} pages) |
| ${s.clients} clients: wall time | ${s.concurrent.wallSeconds.toFixed(2)} s (${s.concurrent.mbPerClient.toFixed(0)} MB of JSON a client) |
| 1 client: entries/s | ${Math.round(s.single.entriesPerSecond).toLocaleString('en-US')} |
| 1 client: page latency p50 / p99 / max | ${f1(s.single.pages.p50)} / ${f1(s.single.pages.p99)} / ${f1(s.single.pages.max)} ms |
| time inside the instance a page (arrival to last byte written), 1 client p50 / p99 | ${f1(s.server.single.p50)} / ${f1(s.server.single.p99)} ms |
| time inside the instance a page, ${s.clients} clients p50 / p99 / max | ${f1(s.server.concurrent.p50)} / ${f1(s.server.concurrent.p99)} / ${f1(s.server.concurrent.max)} ms |
| floor: same keyset page query + JSON in-process, no HTTP, p50 / p99 | ${f1(s.floor.pages.p50)} / ${f1(s.floor.pages.p99)} ms (1 client p50 = ${(s.single.pages.p50 / s.floor.pages.p50).toFixed(1)}× floor) |
| delta of ${s.delta.events.toLocaleString('en-US')} events: whole delta / page p50 / p99 | ${f1(s.delta.wallMs)} ms / ${f1(s.delta.pages.p50)} / ${f1(s.delta.pages.p99)} ms (${s.delta.pages.n} pages) |
| delta with no events since the token | ${f1(s.delta.emptyDeltaMs)} ms |

Target: p99 page under 50 ms with ${s.clients} concurrent clients — **${s.target.met ? 'met' : 'NOT met'}** (${f1(s.concurrent.pages.p99)} ms).
${s.duringRestore ? renderRestore(s) : ''}
How it stays flat: an initial sync pages by keyset over the index \`variants_sync (status, content_type, locale,
key)\` (no OFFSET), so page 1,000 costs what page 1 costs; a delta reads the change log by seq range (its primary
key) and looks up only the variants its events name, so its cost follows the number of events since the token,
not the size of the store (the empty delta above).

Reading the figures: the instance serves requests on one event loop, so with ${s.clients} clients each waiting for
its page, a page's latency is mostly its turn in that queue (about ${s.clients} × the time inside the instance);
throughput rises over the single-client figure because the instance never waits for a client's round trip.
The load generator (8 clients in one process, only one of them parsing every page fully) shares the
${cpus().length} cores with the instance, and figures move with other work on the machine (load average above).
`;
}

function renderRestore(s) {
  const r = s.duringRestore;
  return `
## Serving during a restore

${s.clients} clients page through initial syncs (one content type each, starting over at the end) while one poller
asks \`/healthz\` back to back: first for 3 s with nothing else going on (idle), then while a **remote deployment of
${r.writes.toLocaleString('en-US')} edited entries** is posted to the instance (signed package, queued task) and restored
(${(r.deployMs / 1000).toFixed(2)} s from start to the task's end). Restore ${r.restoreThread ? 'on the restore thread (its own store connection)' : 'on the request thread (\`--restore-thread off\`, as before issue 15)'}.

| during the restore vs idle | idle | during the restore | target |
| --- | --- | --- | --- |
| \`/healthz\` p50 / p99 / max | ${f1(r.idle.health.p50)} / ${f1(r.idle.health.p99)} / ${f1(r.idle.health.max)} ms | **${f1(r.busy.health.p50)} / ${f1(r.busy.health.p99)} / ${f1(r.busy.health.max)} ms** | p99 < 100 ms: **${r.healthzTargetMet ? 'met' : 'NOT met'}** |
| instance event-loop delay p99 / max | ${f1(r.idle.loop.p99)} / ${f1(r.idle.loop.max)} ms | **${f1(r.busy.loop.p99)} / ${f1(r.busy.loop.max)} ms** | — |
| request-thread utilization (busy share of the window) | ${r.idle.loop.utilization.toFixed(2)} | **${r.busy.loop.utilization.toFixed(2)}** | — |
| Sync page p50 / p99 / max | ${f1(r.idle.pages.p50)} / ${f1(r.idle.pages.p99)} / ${f1(r.idle.pages.max)} ms (${r.idle.pages.n} pages) | **${f1(r.busy.pages.p50)} / ${f1(r.busy.pages.p99)} / ${f1(r.busy.pages.max)} ms** (${r.busy.pages.n} pages) | p99 ≤ 1.5× idle: **${r.pageTargetMet ? 'met' : 'NOT met'}** (${r.pageRatio.toFixed(2)}×) |
`;
}

// Last, so that every declaration above is initialized.
if (values.serve) await serve(values.serve);
else await main();
