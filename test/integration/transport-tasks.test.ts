import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { LockHolder, Store } from '../../src/model/index.js';
import { RemoteStore } from '../../src/transport/client/remote-store.js';
import { removeGitRepos, type GitRepo } from '../support/gitdir.js';
import { TEST_SECRET, makeContentRepo, makeInstanceDir, rawRequest, runFerry, startServe, stopAllServers, type ServeHandle } from '../support/serve.js';

const open: RemoteStore[] = [];
async function connect(s: ServeHandle): Promise<RemoteStore> {
  const r = await RemoteStore.open({ url: s.url, secret: TEST_SECRET });
  open.push(r);
  return r;
}

/** Everything a deployment can change in a store, apart from the deployment records. */
async function contentDump(store: Store) {
  return { index: await store.index(), objects: await store.listObjects(), changes: await store.changes(0, 1_000_000), lastChangeSeq: await store.lastChangeSeq() };
}

function editItem(repo: GitRepo, text: string): string {
  const path = 'content/items/article/grind-size.yaml';
  return repo.commit({ [path]: readFileSync(join(repo.dir, path), 'utf8').replace(/publishDate: [0-9-]+/, `publishDate: ${text}`) }, `publishDate ${text}`);
}

afterEach(async () => {
  for (const r of open.splice(0)) await r.close();
  await stopAllServers();
});
afterAll(removeGitRepos);

describe('tasks survive a killed instance: the store is exactly before or after, and the task says which', () => {
  it('kill -9 while a task is Restoring (before its commit): after restart the task is Failed and the store is as before', async () => {
    const repo = makeContentRepo();
    const dir = makeInstanceDir();
    const ferry = (s: ServeHandle, ...args: string[]) => runFerry(args, { cwd: repo.dir, env: { FERRY_STORE_STAGING: s.url } });
    expect((await runFerry(['deploy', '--env', 'dev'], { cwd: repo.dir })).code).toBe(0);
    const first = await startServe({ env: 'staging', dir });
    expect((await ferry(first, 'promote', 'dev', 'staging')).code).toBe(0);
    await first.stop();

    editItem(repo, '2024-10-01');
    expect((await runFerry(['deploy', '--env', 'dev'], { cwd: repo.dir })).code).toBe(0);
    const slow = await startServe({ env: 'staging', dir, hooks: { delayBeforeCommitMs: 60000 } });
    const before = await contentDump(await connect(slow));
    const client = ferry(slow, 'promote', 'dev', 'staging');
    const restoring = await slow.waitForLog((l) => l.msg === 'task' && l.step === 'restoring');
    await slow.kill9();
    const r = await client;
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('FERRY_E_UNREACHABLE');

    const again = await startServe({ env: 'staging', dir });
    const recovered = await again.waitForLog((l) => l.msg === 'task' && l.step === 'recovered');
    expect(recovered).toMatchObject({ task: restoring.task, status: 'Failed', was: 'Restoring' });
    const store = await connect(again);
    expect(await contentDump(store)).toEqual(before);
    const task = (await store.tasks()).find((t) => t.id === restoring.task);
    expect(task).toMatchObject({ status: 'Failed', error: { code: 'FERRY_E_UNREACHABLE', message: expect.stringContaining('nothing was applied') } });
    expect((await store.getDeployment(task?.deploymentId ?? -1))?.status).toBe('failed');

    const retry = await ferry(again, 'promote', 'dev', 'staging');
    expect(retry.code).toBe(0);
    expect(retry.stdout).toMatch(/1 updated/);
    expect(await contentDump(store)).not.toEqual(before);
  });

  it('kill -9 after the commit but before the task is marked: after restart the task is Completed and the store is the after state', async () => {
    const repo = makeContentRepo();
    const dir = makeInstanceDir();
    const ferry = (s: ServeHandle, ...args: string[]) => runFerry(args, { cwd: repo.dir, env: { FERRY_STORE_STAGING: s.url } });
    expect((await runFerry(['deploy', '--env', 'dev'], { cwd: repo.dir })).code).toBe(0);
    const slow = await startServe({ env: 'staging', dir, hooks: { delayAfterCommitMs: 60000 } });
    const client = ferry(slow, 'promote', 'dev', 'staging');
    const committed = await slow.waitForLog((l) => l.msg === 'task' && l.step === 'committed');
    await slow.kill9();
    expect((await client).code).toBe(4);

    const again = await startServe({ env: 'staging', dir });
    const recovered = await again.waitForLog((l) => l.msg === 'task' && l.step === 'recovered');
    expect(recovered).toMatchObject({ task: committed.task, status: 'Completed' });
    const store = await connect(again);
    const task = (await store.tasks()).find((t) => t.id === committed.task);
    expect(task).toMatchObject({ status: 'Completed', deployment: { status: 'succeeded', toCommit: repo.head() } });
    expect((await store.index()).length).toBe(74);
    const noop = await ferry(again, 'promote', 'dev', 'staging');
    expect(noop.code).toBe(0);
    expect(noop.stdout).toContain('No changes');
  });

  it('SIGTERM while a task waits: the task is abandoned (Failed, store untouched), the instance exits 0', async () => {
    const repo = makeContentRepo();
    const dir = makeInstanceDir();
    expect((await runFerry(['deploy', '--env', 'dev'], { cwd: repo.dir })).code).toBe(0);
    const slow = await startServe({ env: 'staging', dir, hooks: { delayBeforeCommitMs: 60000 } });
    const client = runFerry(['promote', 'dev', 'staging'], { cwd: repo.dir, env: { FERRY_STORE_STAGING: slow.url } });
    const restoring = await slow.waitForLog((l) => l.msg === 'task' && l.step === 'restoring');
    // Let the client's long poll for the task arrive, so it hears the outcome before the instance goes.
    await new Promise((r) => setTimeout(r, 500));
    // It stops without waiting out the 60 s task delay: the test's timeout would catch that.
    expect(await slow.stop()).toBe(0);
    expect(slow.logs.map((l) => l.step ?? l.msg)).toEqual(expect.arrayContaining(['abandoning', 'abandoned', 'stopped']));
    const r = await client;
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('Abandoned: the instance shut down before applying this package');

    const again = await startServe({ env: 'staging', dir });
    const store = await connect(again);
    expect(await store.index()).toEqual([]);
    const task = (await store.tasks()).find((t) => t.id === restoring.task);
    expect(task?.status).toBe('Failed');
    expect((await store.getDeployment(task?.deploymentId ?? -1))?.status).toBe('failed');
  });
});

describe('queue', () => {
  it('20 concurrent pushes to one instance: all queued, applied one at a time in arrival order, none lost', async () => {
    const server = await startServe({ env: 'staging', hooks: { delayBeforeCommitMs: 150 } });
    const clients = await Promise.all(Array.from({ length: 20 }, () => connect(server)));
    const shared = { kind: 'workspace' as const, guid: '77777777-0000-4000-8000-000000000000', codeName: 'shared', displayName: 'nobody yet' };
    const started = await Promise.all(
      clients.map((c, i) => c.startDeployment({ environment: 'staging', source: `push-${i}`, mode: 'CreateUpdate', actor: `pusher-${i}`, startedAt: '2024-05-01T10:00:00.000Z' })),
    );
    const own = (i: number) => ({ kind: 'workspace' as const, guid: `77777777-0000-4000-8000-${String(i + 1).padStart(12, '0')}`, codeName: `push-${i}`, displayName: `Push ${i}` });
    const results = await Promise.all(
      clients.map((c, i) =>
        c.commitDeployment(
          started[i].id,
          [
            { op: 'put', object: { ...shared, displayName: `written by push ${i}` }, path: 'content/workspaces/shared.yaml', sourceHash: String(i).padStart(40, '0') },
            { op: 'put', object: own(i), path: `content/workspaces/push-${i}.yaml`, sourceHash: String(i).padStart(40, '1') },
          ],
          [{ type: 'entry_published', key: own(i).guid, kind: 'workspace', at: '2024-05-01T10:00:01.000Z' }],
          { create: 1, update: 1, delete: 0, rename: 0, publish: 0, unpublish: 0, skip: 0 },
          '2024-05-01T10:00:02.000Z',
        ),
      ),
    );
    expect(results.map((d) => d.status)).toEqual(Array(20).fill('succeeded'));

    const tasks = (await clients[0].tasks()).sort((a, b) => a.id - b.id);
    expect(tasks).toHaveLength(20);
    expect(tasks.every((t) => t.status === 'Completed')).toBe(true);
    // One at a time: each task started after the previous one finished.
    for (let i = 1; i < tasks.length; i++) expect(Date.parse(tasks[i].startedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(tasks[i - 1].finishedAt ?? ''));
    // All were queued before the second one completed: they really waited in the queue.
    const steps = server.logs.filter((l) => l.msg === 'task').map((l) => l.step);
    expect(steps.slice(0, steps.indexOf('completed', steps.indexOf('completed') + 1)).filter((s) => s === 'queued')).toHaveLength(20);
    // Applied in arrival (task id) order: the change log follows the task ids, the last one wins.
    const deploymentOfTask = tasks.map((t) => t.deploymentId);
    const changes = await clients[0].changes(0, 100);
    expect(changes.map((e) => e.deploymentId)).toEqual(deploymentOfTask);
    const last = started.findIndex((d) => d.id === deploymentOfTask[19]);
    const objects = await clients[0].getObjects([shared.guid]);
    expect(objects.get(shared.guid)?.object).toMatchObject({ displayName: `written by push ${last}` });
    expect((await clients[0].index()).length).toBe(21);
  });

  it('concurrent deploys of three commits through the CLI are serialized by the instance lock', async () => {
    const repo = makeContentRepo();
    const commits = [repo.head(), editItem(repo, '2024-11-01'), editItem(repo, '2024-11-02')];
    const server = await startServe({ env: 'staging' });
    const runs = await Promise.all(commits.map((c) => runFerry(['deploy', '--env', 'staging', '--ref', c], { cwd: repo.dir, env: { FERRY_STORE_STAGING: server.url } })));
    expect(runs.map((r) => r.code)).toEqual([0, 0, 0]);
    const store = await connect(server);
    const deployments = (await store.deployments()).sort((a, b) => a.id - b.id);
    expect(deployments.map((d) => d.status).filter((s) => s === 'succeeded' || s === 'no-op')).toHaveLength(3);
    for (let i = 1; i < deployments.length; i++) expect(Date.parse(deployments[i].startedAt)).toBeGreaterThanOrEqual(Date.parse(deployments[i - 1].finishedAt ?? ''));
  });
});

describe('locks and task bookkeeping', () => {
  it('a lock whose client vanished lapses after the lease; its unfinished deployment is failed, its late package refused', async () => {
    const server = await startServe({ env: 'staging', args: ['--lock-lease', '1s'] });
    const ghost: LockHolder = { pid: 4242, host: 'ci-runner-7', actor: 'ghost', since: '2024-05-01T10:00:00.000Z', purpose: 'deploy main to staging' };
    const lease = await rawRequest(server.url, { method: 'POST', target: '/api/sync/lock', body: JSON.stringify({ holder: ghost, waitMs: 0 }) });
    expect(lease.status).toBe(201);
    const token = lease.json.token as string;
    const newDeployment = JSON.stringify({ environment: 'staging', source: 'HEAD', mode: 'CreateUpdate', actor: 'ghost', startedAt: '2024-05-01T10:00:00.000Z' });
    const started = await rawRequest(server.url, { method: 'POST', target: '/api/sync/deployments', body: newDeployment, headers: { 'x-ferry-lease': token } });
    expect(started.status).toBe(201);

    const store = await connect(server);
    const holder: LockHolder = { pid: process.pid, host: 'test', actor: 'alice', since: '2024-05-01T10:00:05.000Z', purpose: 'deploy' };
    await expect(store.acquireLock(holder, 0)).rejects.toMatchObject({ code: 'FERRY_E_LOCK', message: expect.stringContaining('ghost (pid 4242 on ci-runner-7') });
    // Refused at once above, granted once the lease lapses (how soon is the lease's business, not a test's).
    const release = await store.acquireLock(holder, 10_000);
    const abandoned = await store.getDeployment(started.json.id);
    expect(abandoned).toMatchObject({ status: 'failed', message: expect.stringContaining('abandoned: the deploying client (ghost, pid 4242 on ci-runner-7) went away') });

    const late = await rawRequest(server.url, {
      method: 'POST',
      target: '/api/sync/packages',
      body: JSON.stringify({ deploymentId: started.json.id, writes: [], events: [], counts: {}, finishedAt: '2024-05-01T10:00:09.000Z', status: 'no-op' }),
      headers: { 'x-ferry-lease': token },
    });
    expect(late.status).toBe(409);
    expect(late.json.error).toMatchObject({ code: 'FERRY_E_LOCK', message: expect.stringContaining('lease lapsed') });
    expect(await store.tasks()).toEqual([]);
    // The live holder keeps its lock by renewing it in the background.
    await new Promise((r) => setTimeout(r, 1500));
    await expect(store.acquireLock({ ...holder, actor: 'bob' }, 0)).rejects.toMatchObject({ code: 'FERRY_E_LOCK', message: expect.stringContaining('alice') });
    await release();
  });

  it('lists tasks with counts, timestamps and errors, and removes finished ones after --task-retention', async () => {
    const server = await startServe({ env: 'staging', args: ['--task-retention', '2s'] });
    const store = await connect(server);
    const d = await store.startDeployment({ environment: 'staging', source: 'HEAD', mode: 'CreateUpdate', actor: 'test', startedAt: '2024-05-01T10:00:00.000Z' });
    const bogus = { kind: 'nope', guid: '88888888-0000-4000-8000-000000000000', codeName: 'x' } as never;
    const counts = { create: 1, update: 0, delete: 0, rename: 0, publish: 0, unpublish: 0, skip: 0 };
    const err = await store.commitDeployment(d.id, [{ op: 'put', object: bogus, path: 'x.yaml', sourceHash: 'a'.repeat(40) }], [], counts, '2024-05-01T10:00:01.000Z').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'FERRY_E_STORE', message: expect.stringMatching(/^Task #1 on http:\/\/127\.0\.0\.1:\d+ \(deployment #1\) failed; nothing was applied: /) });
    const [task] = await store.tasks();
    expect(task).toMatchObject({ id: 1, status: 'Failed', deploymentId: d.id, counts, writes: 1, events: 0, error: { code: 'FERRY_E_STORE' } });
    for (const at of [task.receivedAt, task.startedAt, task.finishedAt]) expect(at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await store.index()).toEqual([]);
    await store.failDeployment(d.id, [], 'bogus package', '2024-05-01T10:00:02.000Z');

    await server.waitForLog((l) => l.msg === 'tasks cleaned', 8000);
    expect(await store.tasks()).toEqual([]);
    const gone = await rawRequest(server.url, { method: 'GET', target: '/api/sync/tasks/1' });
    expect(gone.status).toBe(404);
    expect(gone.json.error.code).toBe('FERRY_E_NOT_FOUND');
  });
});
