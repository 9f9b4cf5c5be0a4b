import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.js';
import { removeGitRepos } from '../support/gitdir.js';
import { freshPostgresUrl, hasPostgres, sqlOn } from '../support/postgres.js';
import { RemoteStore } from '../../src/transport/client/remote-store.js';
import { TEST_SECRET, makeContentRepo, rawRequest, runFerry, sendRaw, startServe, stopAllServers, type ServeHandle } from '../support/serve.js';

/**
 * Two `ferry serve` processes for one environment on one PostgreSQL database, as behind a load
 * balancer: a deployment through one is served by both, a Sync API client alternating between
 * them gets one chain of pages and tokens, a signed request replayed to the other replica is
 * refused, and each package is restored by exactly one replica.
 */
const DEMO = { api_key: 'blt-ferry-demo-prod', access_token: 'cs-ferry-demo-token' };

async function sync(base: string, target: string): Promise<any> {
  const r = await rawRequest(base, { method: 'GET', target, unsigned: true, headers: DEMO });
  if (r.status !== 200) throw new Error(`GET ${target} on ${base}: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}

/** An initial sync whose page requests go round the replicas; and its sync token. */
async function alternatingSync(replicas: ServeHandle[]): Promise<{ items: any[]; syncToken: string; pages: number }> {
  let page = await sync(replicas[0].url, '/v3/stacks/sync?init=true');
  const items = [...page.items];
  let n = 1;
  while (page.pagination_token) {
    page = await sync(replicas[n % replicas.length].url, `/v3/stacks/sync?pagination_token=${encodeURIComponent(page.pagination_token)}`);
    items.push(...page.items);
    n += 1;
  }
  return { items, syncToken: page.sync_token, pages: n };
}

describe.skipIf(!hasPostgres())('two ferry serve replicas on one PostgreSQL database', () => {
  afterAll(async () => {
    await stopAllServers();
    removeGitRepos();
  });

  it('serve one environment: deploy through one, read through both, nonces shared, one restorer per package', async () => {
    const url = await freshPostgresUrl('ferry_replicas');
    const a = await startServe({ env: 'prod', args: ['--store', url] });
    const b = await startServe({ env: 'prod', args: ['--store', url] });
    expect(a.logs[0]).toMatchObject({ msg: 'listening', store: url });

    const repo = makeContentRepo();
    const deployed = await runFerry(['deploy', '--env', 'prod', '--format', 'json'], { cwd: repo.dir, env: { FERRY_STORE_PROD: a.url } });
    expect(deployed.code, deployed.stderr).toBe(0);
    const task = (JSON.parse(deployed.stdout) as { deployment?: { id: number } }).deployment;
    expect(task?.id).toBeGreaterThan(0);

    // Visible on the replica that did not restore it, as soon as it committed.
    const viaA = await alternatingSync([a]);
    const viaB = await alternatingSync([b]);
    // The same items; asset URLs name the replica that answered.
    const hostless = (items: any[], h: ServeHandle) => JSON.parse(JSON.stringify(items).replaceAll(new URL(h.url).host, 'replica'));
    expect(hostless(viaB.items, b)).toEqual(hostless(viaA.items, a));
    expect(viaB.items.filter((i: any) => i.type === 'entry_published').length).toBeGreaterThan(40);

    // One chain of tokens across replicas: a change deployed through B reaches a client holding
    // A's sync token through B, and B's next token is good on A (the token key is in the database).
    const path = 'content/items/article/coffee-origins.yaml';
    const text = readFileSync(join(repo.dir, path), 'utf8');
    repo.commit({ [path]: text.replace('title: Where our coffee comes from', 'title: Where our coffee really comes from') }, 'retitle');
    const second = await runFerry(['deploy', '--env', 'prod'], { cwd: repo.dir, env: { FERRY_STORE_PROD: b.url } });
    expect(second.code, second.stderr).toBe(0);
    const delta = await sync(b.url, `/v3/stacks/sync?sync_token=${encodeURIComponent(viaA.syncToken)}`);
    expect(delta.items.map((i: any) => [i.type, i.data.title])).toContainEqual(['entry_published', 'Where our coffee really comes from']);
    const after = await sync(a.url, `/v3/stacks/sync?sync_token=${encodeURIComponent(delta.sync_token)}`);
    expect(after).toMatchObject({ items: [], sync_token: expect.any(String) });

    // The package was restored by exactly one replica.
    const completed = (h: ServeHandle) => h.logs.filter((l) => l.msg === 'task' && l.step === 'completed');
    expect(completed(a).length).toBe(1);
    expect(completed(b).length).toBe(1);
    const tasks = await sqlOn<{ id: number; status: string; claimed_by: string }>(url, 'SELECT id, status, claimed_by FROM sync_tasks ORDER BY id');
    expect(tasks.map((t) => t.status)).toEqual(['Completed', 'Completed']);
    expect(completed(a)[0].task).toBe(Number(tasks[0].id));
    expect(completed(b)[0].task).toBe(Number(tasks[1].id));

    // A signed request seen by one replica is a replay on the other.
    const first = await rawRequest(a.url, { method: 'POST', target: '/api/sync/check', body: '{}' });
    expect(first.status).toBe(200);
    const replay = await sendRaw(new URL(b.url), 'POST', '/api/sync/check', first.sent, Buffer.from('{}'));
    expect(replay.status).toBe(401);
    expect(replay.json.error).toMatchObject({ code: 'FERRY_E_AUTH', message: expect.stringContaining('Nonce already used') });

    // … and after both restart.
    expect(await a.stop()).toBe(0);
    expect(await b.stop()).toBe(0);
    const c = await startServe({ env: 'prod', args: ['--store', url] });
    const again = await sendRaw(new URL(c.url), 'POST', '/api/sync/check', first.sent, Buffer.from('{}'));
    expect(again.status).toBe(401);
    expect(await c.stop()).toBe(0);

    const store = await openStore(url, { cwd: repo.dir });
    try {
      expect((await store.lastSuccessfulDeployment())?.toCommit).toBe(repo.head());
    } finally {
      await store.close();
    }
  });

  it('one task per package key across replicas: a package sent to both is restored once, on the restore thread, and either tells what became of it', async () => {
    const url = await freshPostgresUrl('ferry_replicas_key');
    const a = await startServe({ env: 'prod', args: ['--store', url] });
    const b = await startServe({ env: 'prod', args: ['--store', url] });
    const remote = await RemoteStore.open({ url: a.url, secret: TEST_SECRET });
    try {
      const d = await remote.startDeployment({ environment: 'prod', source: 'HEAD', mode: 'CreateUpdate', actor: 't', startedAt: '2024-05-01T10:00:00.000Z', toCommit: 'a'.repeat(40) });
      const key = 'k'.repeat(32);
      const pkg = JSON.stringify({ deploymentId: d.id, packageKey: key, writes: [], events: [], counts: d.counts, finishedAt: '2024-05-01T10:00:01.000Z', status: 'no-op' });
      // Named by the signed query: A's restore thread parses and queues it (its session owns the task).
      const first = await rawRequest(a.url, { method: 'POST', target: `/api/sync/packages?deployment=${d.id}&key=${key}`, body: pkg });
      expect(first.status, first.body).toBe(202);
      const completed = await a.waitForLog((l) => l.msg === 'task' && l.step === 'completed');
      expect(completed).toMatchObject({ task: first.json.id, deployment: d.id });
      // Thread 0 is the request thread.
      expect(completed.thread).toBeGreaterThan(0);
      // The same package through B (body only): B finds A's task by its key and queues nothing.
      const again = await rawRequest(b.url, { method: 'POST', target: '/api/sync/packages', body: pkg });
      expect(again.status, again.body).toBe(202);
      expect(again.json).toMatchObject({ id: first.json.id, status: 'Completed' });
      for (const r of [a, b]) {
        const asked = await rawRequest(r.url, { method: 'GET', target: `/api/sync/packages/${key}` });
        expect(asked.json).toMatchObject({ id: first.json.id, status: 'Completed', deploymentId: d.id, packageKey: key });
      }
      expect((await rawRequest(b.url, { method: 'GET', target: `/api/sync/packages/${'n'.repeat(32)}` })).status).toBe(404);
      expect((await remote.tasks()).map((t) => t.id)).toEqual([first.json.id]);
      expect(b.logs.some((l) => l.msg === 'task' && l.step === 'queued')).toBe(false);
    } finally {
      await remote.close();
    }
  });

  it('share the deployment lease: taken through one, renewed and released through the other; a dead granter is taken over', async () => {
    const url = await freshPostgresUrl('ferry_leases');
    const args = ['--store', url, '--lock-lease', '3s'];
    const a = await startServe({ env: 'prod', args });
    const b = await startServe({ env: 'prod', args });
    const holder = (actor: string) => ({ pid: process.pid, host: 'ci-runner', actor, since: '2024-05-01T10:00:00.000Z', purpose: `deploy by ${actor}` });
    const lock = (h: ServeHandle, actor: string, waitMs = 0) => rawRequest(h.url, { method: 'POST', target: '/api/sync/lock', body: JSON.stringify({ holder: holder(actor), waitMs }) });
    const renew = (h: ServeHandle, token: string) => rawRequest(h.url, { method: 'POST', target: `/api/sync/lock/${token}/renew`, body: '{}' });

    const alice = await lock(a, 'alice');
    expect(alice.status, alice.body).toBe(201);
    const token = alice.json.token as string;
    expect((await renew(b, token)).status).toBe(200);
    // Another deployer, on either replica, is told who holds it.
    for (const h of [a, b]) {
      const bob = await lock(h, 'bob');
      expect(bob.status).toBe(409);
      expect(bob.json.error).toMatchObject({ code: 'FERRY_E_LOCK', message: expect.stringContaining('alice') });
    }
    // Released through B: A gives up the database lock, and bob gets in through B.
    expect((await rawRequest(b.url, { method: 'DELETE', target: `/api/sync/lock/${token}` })).status).toBe(200);
    const bob = await lock(b, 'bob', 10_000);
    expect(bob.status, bob.body).toBe(201);

    // B granted bob's lease and dies: renewing through A takes the database lock over, so a
    // local deployer still waits.
    await b.kill9();
    expect((await renew(a, bob.json.token)).status).toBe(200);
    const store = await openStore(url, { cwd: a.dir });
    try {
      await expect(store.acquireLock({ ...holder('carol'), host: 'elsewhere' }, 0)).rejects.toMatchObject({ code: 'FERRY_E_LOCK', message: expect.stringContaining('bob') });
    } finally {
      await store.close();
    }
    expect((await rawRequest(a.url, { method: 'DELETE', target: `/api/sync/lock/${bob.json.token}` })).status).toBe(200);
    expect(await a.stop()).toBe(0);
  });

  /** Everything a deployment can change, through Ferry's public reads (not the deployment records). */
  async function contentDump(url: string, cwd: string) {
    const store = await openStore(url, { cwd });
    try {
      return { objects: await store.listObjects(), changes: await store.changes(0, 1_000_000), deployed: (await store.lastSuccessfulDeployment())?.toCommit };
    } finally {
      await store.close();
    }
  }

  for (const when of ['before', 'after'] as const) {
    it(`kill -9 of the replica restoring a package (${when} its commit): another replica settles the task, the database is exactly ${when}`, async () => {
      const url = await freshPostgresUrl('ferry_restore_kill');
      const args = ['--store', url, '--lock-lease', '4s'];
      const healthy = await startServe({ env: 'prod', args });
      const repo = makeContentRepo();
      expect((await runFerry(['deploy', '--env', 'prod'], { cwd: repo.dir, env: { FERRY_STORE_PROD: healthy.url } })).code).toBe(0);
      const before = await contentDump(url, repo.dir);

      const path = 'content/items/article/coffee-origins.yaml';
      repo.commit({ [path]: readFileSync(join(repo.dir, path), 'utf8').replace('title: Where our coffee comes from', 'title: Origins') }, 'retitle');
      const hook = when === 'before' ? { delayBeforeCommitMs: 60000 } : { delayAfterCommitMs: 60000 };
      const doomed = await startServe({ env: 'prod', args, hooks: hook });
      const client = runFerry(['deploy', '--env', 'prod'], { cwd: repo.dir, env: { FERRY_STORE_PROD: doomed.url } });
      const step = await doomed.waitForLog((l) => l.msg === 'task' && l.step === (when === 'before' ? 'restoring' : 'committed'));
      await doomed.kill9();
      expect((await client).code).toBe(4);

      const recovered = await healthy.waitForLog((l) => l.msg === 'task' && l.step === 'recovered' && l.task === step.task, 15_000);
      expect(recovered).toMatchObject({ status: when === 'before' ? 'Failed' : 'Completed' });
      const dump = await contentDump(url, repo.dir);
      if (when === 'before') expect(dump).toEqual(before);
      else {
        expect(dump).not.toEqual(before);
        expect(dump.deployed).toBe(repo.head());
      }
      // The next deploy through the healthy replica finishes the job (or finds nothing to do).
      const next = await runFerry(['deploy', '--env', 'prod', '--lock-timeout', '10'], { cwd: repo.dir, env: { FERRY_STORE_PROD: healthy.url } });
      expect(next.code, next.stderr).toBe(0);
      expect((await contentDump(url, repo.dir)).deployed).toBe(repo.head());
      expect(await healthy.stop()).toBe(0);
    });
  }
});
