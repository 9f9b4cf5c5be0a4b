// `npm run bench:guards`: the timings the test suite used to assert (and which failed on a loaded
// 2-core machine: 20,000 upserts took 9.9 s against a 5 s line). Tests check what happens; these
// figures check how fast, each next to a floor measured in the same run where one exists, and
// report met / missed without failing anything. Run on a quiet machine to compare with the lines.
import { performance } from 'node:perf_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

const dist = new URL('../dist/', import.meta.url);
const { SqliteStore } = await import(new URL('store/index.js', dist).href);
const { parseYaml } = await import(new URL('format/parse-yaml.js', dist).href);

const rows = [];
function figure(name, ms, line, floorMs) {
  rows.push({ name, ms, line, floorMs, met: ms < line });
}
async function time(fn) {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}
/** Best of `runs`: the figure least disturbed by the rest of the machine. */
async function best(runs, fn) {
  let min = Infinity;
  for (let i = 0; i < runs; i++) min = Math.min(min, await time(fn));
  return min;
}

const work = mkdtempSync(join(tmpdir(), 'ferry-guards-'));
try {
  // 1. 20,000 upserts in one deployment (was test/integration/store-contract.ts: < 5,000 ms each).
  const N = 20_000;
  const objects = Array.from({ length: N }, (_, i) => ({
    kind: 'contentItem',
    guid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    codeName: `item-${i}`,
    contentType: 'article',
    workspace: 'main',
    fields: {},
    variants: { 'en-US': { status: 'published', displayName: `Item ${i}`, fields: { title: `Item ${i}`, body: 'x'.repeat(800) } } },
  }));
  const writes = (hash) => objects.map((o) => ({ op: 'put', object: o, path: `content/items/article/${o.codeName}.yaml`, sourceHash: hash }));
  const counts = { create: 0, update: 0, delete: 0, rename: 0, publish: 0, unpublish: 0, skip: 0 };
  const deployment = { environment: 'dev', source: 'commit', toCommit: 'a'.repeat(40), mode: 'CreateUpdate', actor: 'bench', startedAt: '2024-05-01T10:00:00.000Z' };
  const store = SqliteStore.open(join(work, 'upserts.db'));
  const deploy = async (w) => {
    const d = await store.startDeployment(deployment);
    await store.commitDeployment(d.id, w, [], counts, '2024-05-01T10:01:00.000Z');
  };
  const fresh = await time(() => deploy(writes('e'.repeat(40))));
  const update = await time(() => deploy(writes('f'.repeat(40))));
  // index() and hasDrift() (were test/integration/sqlite-store.test.ts, at 100k: index ≤ 2x its raw query + 25 ms, hasDrift < 2 ms).
  const index = await best(4, () => store.index());
  const raw = new Database(join(work, 'upserts.db'), { readonly: true });
  const indexFloor = await best(4, () => raw.prepare('SELECT key, kind, code_name, content_type, path, source_hash, drift FROM objects').raw().all());
  raw.close();
  figure(`index() of ${N.toLocaleString('en-US')} objects`, index, indexFloor * 2 + 25, indexFloor);
  figure('hasDrift(), one call (mean of 100)', (await time(async () => { for (let i = 0; i < 100; i++) await store.hasDrift(); })) / 100, 2);
  await store.close();
  // Floor: the same rows as raw prepared upserts in one transaction.
  const db = new Database(join(work, 'floor.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE o (guid TEXT PRIMARY KEY, path TEXT, hash TEXT, body TEXT)');
  const upsert = db.prepare('INSERT INTO o VALUES (?, ?, ?, ?) ON CONFLICT(guid) DO UPDATE SET path = excluded.path, hash = excluded.hash, body = excluded.body');
  const floor = await time(() => db.transaction(() => { for (const o of objects) upsert.run(o.guid, o.codeName, 'e', JSON.stringify(o)); })());
  db.close();
  figure('20,000 upserts, fresh store, one deployment', fresh, 5000, floor);
  figure('20,000 upserts, update path, one deployment', update, 5000, floor);

  // 2. YAML safety limits answer at once (was src/format/parse-yaml.test.ts: < 200 ms, < 100 ms).
  const levels = 'abcdefghi'.split('');
  const bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]', ...levels.slice(1).map((l, i) => `${l}: &${l} [${Array(9).fill(`*${levels[i]}`).join(',')}]`), ''].join('\n');
  figure('alias bomb refused (FERRY_E_YAML_LIMIT)', await best(5, () => parseYaml(bomb, { filename: 'bomb.yaml', maxFileSize: 1 << 20 })), 200);
  const big = new Uint8Array(50 * 1024 * 1024).fill(0x61);
  figure('50 MB file refused before parsing', await best(5, () => parseYaml(big, { filename: 'big.yaml', maxFileSize: 1 << 20 })), 100);
} finally {
  rmSync(work, { recursive: true, force: true });
}

console.log('| figure | ms | line | floor (same run) | |');
console.log('| --- | ---: | ---: | ---: | --- |');
for (const r of rows) console.log(`| ${r.name} | ${r.ms.toFixed(0)} | < ${Math.round(r.line)} | ${r.floorMs === undefined ? '—' : r.floorMs.toFixed(0)} | ${r.met ? 'met' : '**missed**'} |`);
