import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRemoteStore } from '../../src/transport/client/open-remote-store.js';
import { makeTempDir, removeGitRepos, type GitRepo } from '../support/gitdir.js';
import { TEST_SECRET, makeContentRepo, runFerry, startServe, stopAllServers, type ServeHandle } from '../support/serve.js';

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!hasOpenssl())('HTTPS with a self-signed certificate made by the test', () => {
  let repo: GitRepo;
  let certDir: string;
  let server: ServeHandle;
  const cert = () => join(certDir, 'cert.pem');

  beforeAll(async () => {
    repo = makeContentRepo();
    certDir = makeTempDir('ferry-tls-');
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
      '-subj', '/CN=ferry-test', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout', join(certDir, 'key.pem'), '-out', cert(),
    ], { stdio: 'ignore' });
    // TLS lets an instance listen beyond loopback.
    server = await startServe({ env: 'staging', args: ['--host', '0.0.0.0', '--tls-cert', cert(), '--tls-key', join(certDir, 'key.pem')] });
  });
  afterAll(async () => {
    await stopAllServers();
    removeGitRepos();
  });

  it('listens with TLS and deploys over https:// when the client trusts the certificate', async () => {
    expect(server.logs[0]).toMatchObject({ msg: 'listening', tls: true, host: '0.0.0.0' });
    expect(server.url).toMatch(/^https:\/\/0\.0\.0\.0:\d+$/);
    const url = `https://127.0.0.1:${server.port}`;
    expect((await runFerry(['deploy', '--env', 'dev'], { cwd: repo.dir })).code).toBe(0);
    const r = await runFerry(['promote', 'dev', 'staging'], { cwd: repo.dir, env: { FERRY_STORE_STAGING: url, NODE_EXTRA_CA_CERTS: cert() } });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Deployed staging at [0-9a-f]{10} as deployment #1: 79 created/);

    // In-process clients can trust a CA file through FERRY_SYNC_CA_FILE.
    const store = await openRemoteStore(url, { cwd: repo.dir, env: { FERRY_SYNC_SECRET: TEST_SECRET, FERRY_SYNC_CA_FILE: cert() } });
    expect((await store.lastSuccessfulDeployment())?.toCommit).toBe(repo.head());
    await store.close();
  });

  it('refuses a certificate it does not trust: FERRY_E_UNREACHABLE naming the TLS problem', async () => {
    const r = await runFerry(['status', '--env', 'staging'], { cwd: repo.dir, env: { FERRY_STORE_STAGING: `https://127.0.0.1:${server.port}` } });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('FERRY_E_UNREACHABLE');
    expect(r.stderr).toMatch(/failed the TLS check .*self[- ]signed/i);
    expect(r.stderr).toContain('NODE_EXTRA_CA_CERTS');
  });

  it('does not speak plain HTTP on its TLS port', async () => {
    const r = await runFerry(['status', '--env', 'staging'], { cwd: repo.dir, env: { FERRY_STORE_STAGING: `http://127.0.0.1:${server.port}` } });
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('FERRY_E_UNREACHABLE');
  });
});
