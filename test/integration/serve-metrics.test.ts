/** `ferry serve` exposes Prometheus metrics at /metrics, loopback-only or behind FERRY_METRICS_TOKEN. */
import { afterAll, describe, expect, it } from 'vitest';
import { removeGitRepos } from '../support/gitdir.js';
import { makeContentRepo, makeInstanceDir, runFerry, startServe, stopAllServers } from '../support/serve.js';

afterAll(async () => {
  await stopAllServers();
  removeGitRepos();
});

const get = async (url: string, headers: Record<string, string> = {}) => {
  const r = await fetch(url, { headers });
  return { status: r.status, type: r.headers.get('content-type') ?? '', body: await r.text() };
};

describe('GET /metrics', () => {
  it('counts the requests, tasks and deployment of a promotion', async () => {
    const repo = makeContentRepo();
    expect((await runFerry(['deploy', '--env', 'dev'], { cwd: repo.dir })).code).toBe(0);
    const staging = await startServe({ env: 'staging', dir: makeInstanceDir() });
    const promoted = await runFerry(['promote', 'dev', 'staging'], { cwd: repo.dir, env: { FERRY_STORE_STAGING: staging.url } });
    expect(promoted.code, promoted.stderr).toBe(0);
    const m = await get(`${staging.url}/metrics`);
    expect(m.status).toBe(200);
    expect(m.type).toContain('text/plain');
    expect(m.body).toMatch(/^ferry_http_requests_total\{method="POST",route="\/api\/sync\/check",status="200",environment="staging"\} [1-9]\d*$/m);
    expect(m.body).toMatch(/^ferry_sync_tasks\{state="Completed",environment="staging"\} 1$/m);
    expect(m.body).toMatch(/^ferry_deployments_total\{status="succeeded",environment="staging"\} 1$/m);
    expect(m.body).toMatch(/^ferry_lock_wait_seconds_count\{environment="staging",outcome="acquired"\} 1$/m);
    // Lease tokens never become labels.
    expect(m.body).not.toMatch(/route="\/api\/sync\/lock\/(?!:id)/);
    await staging.stop();
  });

  it('needs the bearer token when FERRY_METRICS_TOKEN is set', async () => {
    const token = 'metrics-token-for-the-test-0123';
    const s = await startServe({ env: 'prod', dir: makeInstanceDir(), vars: { FERRY_METRICS_TOKEN: token } });
    expect((await get(`${s.url}/metrics`)).status).toBe(401);
    expect((await get(`${s.url}/metrics`, { authorization: 'Bearer nope' })).status).toBe(401);
    const ok = await get(`${s.url}/metrics`, { authorization: `Bearer ${token}` });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('ferry_build_info');
    expect(s.output().stdout).not.toContain(token);
    await s.stop();
  });

  it('refuses a token too short to guess at', async () => {
    const r = await runFerry(['serve', '--env', 'prod', '--port', '0'], { cwd: makeInstanceDir(), env: { FERRY_METRICS_TOKEN: 'short' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('FERRY_METRICS_TOKEN is too short');
  });
});
