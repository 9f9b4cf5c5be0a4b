/**
 * A remote deploy whose connection drops tells the truth about the environment: the client
 * reconnects (bounded retries with backoff), asks the instance what became of the package (by
 * its idempotency key), and reports applied / failed / not received; a package sent twice is
 * applied once. A TCP proxy between client and instance cuts connections on cue.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RemoteStore } from '../../src/transport/client/remote-store.js';
import { startCuttingProxy, type CuttingProxy } from '../support/cutting-proxy.js';
import { removeGitRepos, type GitRepo } from '../support/gitdir.js';
import { TEST_SECRET, makeContentRepo, rawRequest, runFerry, startServe, stopAllServers, type ServeHandle } from '../support/serve.js';

describe('a remote deploy whose connection drops', () => {
  let repo: GitRepo;
  let server: ServeHandle;
  let proxy: CuttingProxy;
  const deploy = (extra: Record<string, string> = {}) => runFerry(['deploy', '--env', 'staging'], { cwd: repo.dir, env: { FERRY_STORE_STAGING: proxy.url, ...extra } });
  /** What the instance itself says, asked directly (not through the proxy). */
  async function truth() {
    const remote = await RemoteStore.open({ url: server.url, secret: TEST_SECRET });
    try {
      return { deployments: await remote.deployments(), tasks: await remote.tasks() };
    } finally {
      await remote.close();
    }
  }

  beforeAll(() => {
    repo = makeContentRepo();
  });
  afterEach(async () => {
    await proxy?.close();
    await stopAllServers();
  });
  afterAll(removeGitRepos);

  async function start(): Promise<void> {
    server = await startServe({ env: 'staging' });
    proxy = await startCuttingProxy(server.port);
  }

  it('after the instance accepted the package (its answer lost, twice): reconnects, finds it applied, exits 0; one task', async () => {
    await start();
    proxy.cut({ request: 'POST /api/sync/packages', drop: 'response', times: 2 });
    const r = await deploy();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Deployed staging at [0-9a-f]{10} as deployment #1: 79 created/);
    expect(proxy.cuts.length).toBeGreaterThanOrEqual(1);
    const t = await truth();
    expect(t.deployments.map((d) => [d.id, d.status])).toEqual([[1, 'succeeded']]);
    expect(t.tasks.map((x) => [x.deploymentId, x.status])).toEqual([[1, 'Completed']]);
    expect(t.tasks[0].packageKey).toMatch(/^[0-9a-f]{32}$/);
  });

  it('while waiting for the task: reconnects and reports the task as it ends', async () => {
    await start();
    proxy.cut({ request: 'GET /api/sync/tasks/', drop: 'response', times: 2 });
    const r = await deploy();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(proxy.cuts).toEqual(['response: GET /api/sync/tasks/', 'response: GET /api/sync/tasks/']);
    expect((await truth()).tasks.map((x) => x.status)).toEqual(['Completed']);
  });

  it('before the package reached the instance (twice): asks, hears "not received", sends it again; applied once', async () => {
    await start();
    proxy.cut({ request: 'POST /api/sync/packages', drop: 'request', times: 2 });
    const r = await deploy();
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(proxy.cuts).toEqual(['request: POST /api/sync/packages', 'request: POST /api/sync/packages']);
    const asked = server.logs.filter((l) => l.msg === 'request' && String(l.path).startsWith('/api/sync/packages/'));
    expect(asked.map((l) => l.status)).toContain(404);
    const t = await truth();
    expect(t.tasks.map((x) => [x.deploymentId, x.status])).toEqual([[1, 'Completed']]);
  });

  it('when the instance stays unreachable: exits 4 saying the outcome is unknown, and it was in fact applied', async () => {
    await start();
    proxy.cut({ request: 'POST /api/sync/packages', drop: 'response', thenBlackhole: true });
    const r = await deploy({ FERRY_SYNC_RECONNECT_ATTEMPTS: '2' });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('FERRY_E_UNREACHABLE');
    expect(r.stderr).toContain('dropped while sending the package of deployment #1');
    expect(r.stderr).toContain('may or may not have been applied');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    await server.waitForLog((l) => l.msg === 'task' && l.step === 'completed');
    expect((await truth()).deployments.map((d) => d.status)).toEqual(['succeeded']);
  });

  it('the same package sent twice (same key) is one task, applied once', async () => {
    await start();
    const remote = await RemoteStore.open({ url: server.url, secret: TEST_SECRET });
    try {
      const d = await remote.startDeployment({ environment: 'staging', source: 'HEAD', mode: 'CreateUpdate', actor: 't', startedAt: '2024-05-01T10:00:00.000Z', toCommit: 'a'.repeat(40) });
      const pkg = JSON.stringify({ deploymentId: d.id, packageKey: 'k'.repeat(32), writes: [], events: [], counts: d.counts, finishedAt: '2024-05-01T10:00:01.000Z', status: 'no-op' });
      // No lease header: the instance checks only the leases a client says it holds.
      const first = await rawRequest(server.url, { method: 'POST', target: '/api/sync/packages', body: pkg });
      expect(first.status, first.body).toBe(202);
      await server.waitForLog((l) => l.msg === 'task' && l.step === 'completed');
      const again = await rawRequest(server.url, { method: 'POST', target: '/api/sync/packages', body: pkg });
      expect(again.status).toBe(202);
      expect(again.json).toMatchObject({ id: first.json.id, status: 'Completed' });
      const asked = await rawRequest(server.url, { method: 'GET', target: `/api/sync/packages/${'k'.repeat(32)}` });
      expect(asked.json).toMatchObject({ id: first.json.id, status: 'Completed', deploymentId: d.id });
      expect((await rawRequest(server.url, { method: 'GET', target: `/api/sync/packages/${'n'.repeat(32)}` })).status).toBe(404);
      expect((await remote.tasks()).length).toBe(1);
    } finally {
      await remote.close();
    }
  });
});
