import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RemoteStore } from '../../src/transport/client/remote-store.js';
import { removeGitRepos, type GitRepo } from '../support/gitdir.js';
import { TEST_SECRET, makeContentRepo, makeInstanceDir, rawRequest, runFerry, sendRaw, startServe, stopAllServers, type ServeHandle } from '../support/serve.js';

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
const deployment = (message: string) =>
  JSON.stringify({ environment: 'staging', source: 'HEAD', mode: 'CreateUpdate', actor: 'mallory', startedAt: '2024-05-01T10:00:00.000Z', toCommit: 'a'.repeat(40), message });

describe('refuses and stores nothing when a sync request is not trustworthy', () => {
  let repo: GitRepo;
  let server: ServeHandle;
  let remote: RemoteStore;

  /** What an attack must not change: deployments, tasks, objects. */
  async function snapshot() {
    return { deployments: await remote.deployments(), tasks: await remote.tasks(), index: await remote.index() };
  }

  beforeAll(async () => {
    repo = makeContentRepo();
    server = await startServe({ env: 'staging', args: ['--max-package-size', '64KB'] });
    remote = await RemoteStore.open({ url: server.url, secret: TEST_SECRET });
  });
  afterAll(async () => {
    await remote.close();
    await stopAllServers();
    removeGitRepos();
  });

  it('answers /healthz without a signature, and /api/sync/check only with one', async () => {
    expect(await rawRequest(server.url, { method: 'GET', target: '/healthz', unsigned: true })).toMatchObject({ status: 200, json: { status: 'ok' } });
    const check = await rawRequest(server.url, { method: 'POST', target: '/api/sync/check', body: '{}' });
    expect(check.status).toBe(200);
    expect(check.json).toEqual({ success: true, version: '0.1.0', formatVersion: 1, protocolVersion: 1, environment: 'staging', maxBlobBytes: 5 * 1024 * 1024 });
    const unsigned = await rawRequest(server.url, { method: 'POST', target: '/api/sync/check', body: '{}', unsigned: true });
    expect(unsigned.status).toBe(401);
    expect(unsigned.json.error).toMatchObject({ code: 'FERRY_E_AUTH', message: expect.stringContaining('Unsigned request') });
  });

  it('wrong secret: refused with FERRY_E_AUTH (raw request and CLI)', async () => {
    const before = await snapshot();
    const r = await rawRequest(server.url, { method: 'POST', target: '/api/sync/deployments', body: deployment('wrong secret'), secret: 'another-secret-of-sufficient-length-000' });
    expect(r.status).toBe(401);
    expect(r.json.error.message).toContain('Signature does not match');
    const cli = await runFerry(['deploy', '--env', 'staging'], { cwd: repo.dir, env: { FERRY_STORE_STAGING: server.url }, secret: 'another-secret-of-sufficient-length-000' });
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('FERRY_E_AUTH');
    expect(cli.stderr).toContain('Signature does not match');
    expect(await snapshot()).toEqual(before);
  });

  it('short or missing secret: the client refuses before sending anything; the server refuses to start', async () => {
    const quiet = await startServe({ env: 'staging' });
    const short = await runFerry(['deploy', '--env', 'staging'], { cwd: repo.dir, env: { FERRY_STORE_STAGING: quiet.url }, secret: 'too-short' });
    expect(short.code).toBe(1);
    expect(short.stderr).toContain('FERRY_E_AUTH');
    expect(short.stderr).toContain('FERRY_SYNC_SECRET');
    expect(short.stderr).toContain('9 characters, at least 32');
    expect(short.stderr).not.toContain('too-short');
    const missing = await runFerry(['deploy', '--env', 'staging'], { cwd: repo.dir, env: { FERRY_STORE_STAGING: quiet.url, FERRY_SYNC_SECRET: undefined } });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('The shared sync secret is missing: set the environment variable FERRY_SYNC_SECRET');
    expect(await quiet.stop()).toBe(0);
    expect(quiet.logs.map((l) => l.msg)).toEqual(['listening', 'stopping', 'stopped']);

    const serve = await runFerry(['serve', '--env', 'prod', '--port', '0'], { cwd: server.dir, secret: 'x'.repeat(31) });
    expect(serve.code).toBe(1);
    expect(serve.stderr).toContain('FERRY_E_AUTH');
    expect(serve.stderr).toContain('31 characters, at least 32');
    expect(serve.stdout).toBe('');
  });

  it('tampered body: refused, nothing stored', async () => {
    const before = await snapshot();
    const r = await rawRequest(server.url, { method: 'POST', target: '/api/sync/deployments', signedBody: deployment('original'), body: deployment('tampered') });
    expect(r.status).toBe(401);
    expect(r.json.error).toMatchObject({ code: 'FERRY_E_AUTH', message: expect.stringContaining('does not match its signed sha256') });
    // Rewriting the signed hash to match the new body breaks the signature instead.
    const r2 = await sendRaw(new URL(server.url), 'POST', '/api/sync/deployments', { ...r.sent, 'x-ferry-content-sha256': sha(deployment('tampered')) }, Buffer.from(deployment('tampered')));
    expect(r2.status).toBe(401);
    expect(r2.json.error.message).toContain('Signature does not match');
    const bytes = randomBytes(64);
    const blob = await rawRequest(server.url, { method: 'PUT', target: `/api/sync/blobs/${sha(bytes)}`, signedBody: bytes, body: randomBytes(64) });
    expect(blob.status).toBe(401);
    expect(await remote.hasBlob(sha(bytes))).toBe(false);
    expect(await snapshot()).toEqual(before);
  });

  it('replayed nonce: the first request counts, its replay is refused', async () => {
    const before = await snapshot();
    const first = await rawRequest(server.url, { method: 'POST', target: '/api/sync/deployments', body: deployment('once') });
    expect(first.status).toBe(201);
    const replay = await sendRaw(new URL(server.url), 'POST', '/api/sync/deployments', first.sent, Buffer.from(deployment('once')));
    expect(replay.status).toBe(401);
    expect(replay.json.error).toMatchObject({ code: 'FERRY_E_AUTH', message: expect.stringContaining('Nonce already used') });
    const after = await remote.deployments();
    expect(after.length).toBe(before.deployments.length + 1);
    await remote.failDeployment(after[0].id, [], 'test cleanup', '2024-05-01T10:00:01.000Z');
  });

  it('replayed nonce after a restart: refused (nonces are kept in the task database)', async () => {
    const own = await startServe({ env: 'staging' });
    const first = await rawRequest(own.url, { method: 'POST', target: '/api/sync/check', body: '{}' });
    expect(first.status).toBe(200);
    expect(await own.stop()).toBe(0);
    const again = await startServe({ env: 'staging', dir: own.dir });
    const replay = await sendRaw(new URL(again.url), 'POST', '/api/sync/check', first.sent, Buffer.from('{}'));
    expect(replay.status).toBe(401);
    expect(replay.json.error).toMatchObject({ code: 'FERRY_E_AUTH', message: expect.stringContaining('Nonce already used') });
    expect(await again.stop()).toBe(0);
  });

  it('stale or future timestamp: refused', async () => {
    const before = await snapshot();
    for (const offset of [-6 * 60_000, 6 * 60_000]) {
      const r = await rawRequest(server.url, { method: 'POST', target: '/api/sync/deployments', body: deployment('stale'), timestamp: Date.now() + offset });
      expect(r.status).toBe(401);
      expect(r.json.error.message).toMatch(/Request timestamp is 3[56]\d s (behind|ahead of) the instance clock/);
    }
    expect(await snapshot()).toEqual(before);
  });

  it('oversized body: a blob over assets.maxSize and a package over --max-package-size are refused unread', async () => {
    const before = await snapshot();
    const big = randomBytes(5 * 1024 * 1024 + 1);
    const r = await rawRequest(server.url, { method: 'PUT', target: `/api/sync/blobs/${sha(big)}`, body: big });
    expect(r.status).toBe(413);
    expect(r.json.error).toMatchObject({ code: 'FERRY_E_ASSET_LIMIT', message: expect.stringContaining('at most 5 MB') });
    expect(await remote.hasBlob(sha(big))).toBe(false);
    await expect(remote.putBlob(sha(big), big)).rejects.toMatchObject({ code: 'FERRY_E_ASSET_LIMIT' });

    const d = await remote.startDeployment({ environment: 'staging', source: 'HEAD', mode: 'CreateUpdate', actor: 'test', startedAt: '2024-05-01T10:00:00.000Z' });
    const pkg = JSON.stringify({ deploymentId: d.id, writes: [], events: [], counts: {}, finishedAt: '2024-05-01T10:00:01.000Z', status: 'no-op', padding: 'x'.repeat(70 * 1024) });
    const p = await rawRequest(server.url, { method: 'POST', target: '/api/sync/packages', body: pkg });
    expect(p.status).toBe(413);
    expect(p.json.error).toMatchObject({ code: 'FERRY_E_TOO_LARGE', message: expect.stringContaining('at most 64 KB') });
    expect(await remote.tasks()).toEqual(before.tasks);
    expect((await remote.getDeployment(d.id))?.status).toBe('running');
    await remote.failDeployment(d.id, [], 'test cleanup', '2024-05-01T10:00:01.000Z');
  });

  it('sha256 mismatch: a blob whose bytes do not hash to its id is refused', async () => {
    const claimed = randomBytes(32);
    const sent = randomBytes(32);
    const r = await rawRequest(server.url, { method: 'PUT', target: `/api/sync/blobs/${sha(claimed)}`, body: sent });
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({ code: 'FERRY_E_ASSET', message: expect.stringContaining('do not match their id') });
    expect(await remote.hasBlob(sha(claimed))).toBe(false);
    expect(await remote.hasBlob(sha(sent))).toBe(false);
  });

  it('`../` or non-hex in a blob path: refused, nothing written outside the blob folder', async () => {
    const bytes = Buffer.from('not a blob');
    for (const target of [
      '/api/sync/blobs/../../../../tmp/ferry-escape',
      '/api/sync/blobs/..%2F..%2F..%2Ftmp%2Fferry-escape',
      `/api/sync/blobs/${sha(bytes).toUpperCase()}`,
      `/api/sync/blobs/${sha(bytes).slice(1)}`,
      `/api/sync/blobs/${sha(bytes)}/..`,
    ]) {
      const r = await rawRequest(server.url, { method: 'PUT', target, body: bytes });
      expect(r.status, target).toBe(400);
      expect(r.json.error, target).toMatchObject({ code: 'FERRY_E_ASSET', message: expect.stringContaining('Invalid blob id') });
    }
    expect(existsSync('/tmp/ferry-escape')).toBe(false);
    expect(existsSync(join(server.dir, 'tmp'))).toBe(false);
    expect(await remote.hasBlob(sha(bytes))).toBe(false);
  });

  it('plain HTTP to a non-loopback host: the client refuses without connecting; the server refuses to listen', async () => {
    const r = await runFerry(['deploy', '--env', 'staging'], { cwd: repo.dir, env: { FERRY_STORE_STAGING: 'http://192.0.2.10:7480' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('FERRY_E_STORE_URL');
    // Refused before connecting: 192.0.2.10 (TEST-NET-1) never answers, so a connection attempt would end in FERRY_E_UNREACHABLE.
    expect(r.stderr).toContain('Refusing plain http:// to 192.0.2.10');
    expect(r.stderr).not.toContain('FERRY_E_UNREACHABLE');

    const serve = await runFerry(['serve', '--env', 'prod', '--host', '0.0.0.0', '--port', '0'], { cwd: server.dir });
    expect(serve.code).toBe(64);
    expect(serve.stderr).toContain('Refusing to listen on 0.0.0.0 without TLS');
  });

  it('an instance that is down: FERRY_E_UNREACHABLE, exit 4', async () => {
    const down = await startServe({ env: 'staging' });
    await down.stop();
    const r = await runFerry(['deploy', '--env', 'staging'], { cwd: repo.dir, env: { FERRY_STORE_STAGING: down.url } });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('FERRY_E_UNREACHABLE');
    expect(r.stderr).toContain(`The instance at ${down.url} is unreachable (ECONNREFUSED)`);
  });

  it("reads the secret from the variable named by the environment's secretEnv, on both sides", async () => {
    const withSecretEnv = (text: string) => text.replace('store: ${FERRY_STORE_STAGING:-sqlite:.ferry/staging.db}', 'store: ${FERRY_STORE_STAGING:-sqlite:.ferry/staging.db}\n    secretEnv: STAGING_SYNC_SECRET');
    const instanceDir = makeInstanceDir();
    const configFile = 'repository.config.yaml';
    writeFileSync(join(instanceDir, configFile), withSecretEnv(readFileSync(join(instanceDir, configFile), 'utf8')));
    const original = readFileSync(join(repo.dir, configFile), 'utf8');
    writeFileSync(join(repo.dir, configFile), withSecretEnv(original));
    try {
      const own = 'staging-only-secret-0123456789abcdef-0123';
      const s = await startServe({ env: 'staging', dir: instanceDir, vars: { FERRY_SYNC_SECRET: undefined, STAGING_SYNC_SECRET: own } });
      const ok = await runFerry(['status', '--env', 'staging'], { cwd: repo.dir, env: { FERRY_STORE_STAGING: s.url, FERRY_SYNC_SECRET: undefined, STAGING_SYNC_SECRET: own } });
      expect(ok.stderr).toBe('');
      expect(ok.code).toBe(0);
      const wrongVariable = await runFerry(['status', '--env', 'staging'], { cwd: repo.dir, env: { FERRY_STORE_STAGING: s.url } });
      expect(wrongVariable.code).toBe(1);
      expect(wrongVariable.stderr).toContain('set the environment variable STAGING_SYNC_SECRET');
      await s.stop();
      const noSecret = await runFerry(['serve', '--env', 'staging', '--port', '0'], { cwd: instanceDir });
      expect(noSecret.code).toBe(1);
      expect(noSecret.stderr).toContain('The shared sync secret of environment staging is missing: set the environment variable STAGING_SYNC_SECRET');
    } finally {
      writeFileSync(join(repo.dir, configFile), original);
    }
  });

  it('never writes the secret, signatures or lease tokens to its log', async () => {
    const { stdout, stderr } = server.output();
    expect(stdout.length).toBeGreaterThan(1000);
    expect(stdout).not.toContain(TEST_SECRET);
    expect(stderr).not.toContain(TEST_SECRET);
    expect(stdout).not.toMatch(/x-ferry-signature|"signature"/i);
    expect(server.logs.every((l) => typeof l.time === 'string' && typeof l.level === 'string' && typeof l.msg === 'string')).toBe(true);
  });
});
