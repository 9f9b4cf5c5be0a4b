/**
 * Blob uploads to `ferry serve` retry per blob: a real TCP proxy between the CLI and the instance
 * cuts blob uploads part-way; the deploy sends that blob again from its first byte and succeeds,
 * or, when every try is cut, fails with FERRY_E_UNREACHABLE and commits nothing.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/index.js';
import { removeGitRepos, type GitRepo } from '../support/gitdir.js';
import { makeContentRepo, runFerry, startServe, stopAllServers, type ServeHandle } from '../support/serve.js';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const GUID = '8b3d2f51-4c6e-4d7f-9a81-0b2c3d4e5f01';

/** Forwards connections to `port`; `cuts` blob uploads are broken off after 256 KB of their body. */
async function cuttingProxy(port: number, cuts: number): Promise<{ url: string; cut: () => number; close: () => Promise<void> }> {
  let done = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(port, '127.0.0.1');
    sockets.add(client).add(upstream);
    let counting = -1;
    client.on('data', (chunk: Buffer) => {
      if (counting < 0 && done < cuts && chunk.includes('PUT /api/sync/blobs/')) counting = 0;
      if (counting >= 0) {
        counting += chunk.byteLength;
        if (counting > 256 * 1024) {
          done++;
          counting = -1;
          client.destroy();
          upstream.destroy();
          return;
        }
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    cut: () => done,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

describe('blob uploads to ferry serve retry per blob', () => {
  let repo: GitRepo;
  const image = randomBytes(2 * 1024 * 1024);

  beforeAll(() => {
    repo = makeContentRepo();
    repo.commit({
      'content/assets/photos/big-photo.yaml': [
        'kind: asset',
        `guid: ${GUID}`,
        'codeName: big-photo',
        'folder: photos',
        'fileName: big-photo.png',
        'mediaType: image/png',
        `size: ${image.byteLength}`,
        `sha256: ${sha256(image)}`,
        '',
      ].join('\n'),
      'content/assets/photos/big-photo.png': image,
    });
  });
  afterAll(async () => {
    await stopAllServers();
    removeGitRepos();
  });

  it('a blob upload cut part-way is sent again, and the deploy succeeds with the right bytes', async () => {
    const staging: ServeHandle = await startServe({ env: 'staging' });
    const proxy = await cuttingProxy(staging.port, 1);
    try {
      const r = await runFerry(['deploy', '--env', 'staging'], { cwd: repo.dir, env: { FERRY_STORE_STAGING: proxy.url } });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(proxy.cut()).toBe(1);
      const onDisk = SqliteStore.open(staging.storeFile);
      try {
        const stored = await onDisk.readBlob(sha256(image));
        expect(stored && sha256(stored)).toBe(sha256(image));
        expect((await onDisk.getObjects([GUID])).has(GUID)).toBe(true);
      } finally {
        await onDisk.close();
      }
    } finally {
      await proxy.close();
      await staging.stop();
    }
  }, 60_000);

  it('refuses and commits nothing when every try of a blob is cut: FERRY_E_UNREACHABLE', async () => {
    const prod: ServeHandle = await startServe({ env: 'prod' });
    const proxy = await cuttingProxy(prod.port, 1000);
    try {
      const r = await runFerry(['deploy', '--env', 'prod'], { cwd: repo.dir, env: { FERRY_STORE_PROD: proxy.url } });
      expect(r.code).toBe(4);
      expect(r.stderr).toContain('FERRY_E_UNREACHABLE');
      expect(r.stderr).toContain('upload blob');
      expect(proxy.cut()).toBe(4);
      const onDisk = SqliteStore.open(prod.storeFile);
      try {
        expect(await onDisk.listObjects()).toEqual([]);
        expect(await onDisk.hasBlob(sha256(image))).toBe(false);
      } finally {
        await onDisk.close();
      }
    } finally {
      await proxy.close();
      await prod.stop();
    }
  }, 60_000);

  it('a blob over the instance limit is refused with FERRY_E_ASSET_LIMIT naming it before any byte is sent (the limit comes with check)', async () => {
    const big = randomBytes(70 * 1024 * 1024);
    const local = makeContentRepo();
    const config = readFileSync(join(local.dir, 'repository.config.yaml'), 'utf8').replace('maxSize: 5MB', 'maxSize: 100MB');
    local.commit({
      'repository.config.yaml': config,
      'content/assets/photos/huge.yaml': ['kind: asset', 'guid: 8b3d2f51-4c6e-4d7f-9a81-0b2c3d4e5f02', 'codeName: huge', 'folder: photos', 'fileName: huge.png', 'mediaType: image/png', `size: ${big.byteLength}`, `sha256: ${sha256(big)}`, ''].join('\n'),
      'content/assets/photos/huge.png': big,
    });
    // The instance keeps the sample's 5MB limit.
    const staging: ServeHandle = await startServe({ env: 'staging' });
    try {
      const r = await runFerry(['deploy', '--env', 'staging'], { cwd: local.dir, env: { FERRY_STORE_STAGING: staging.url } });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('FERRY_E_ASSET_LIMIT');
      expect(r.stderr).toContain('at most 5 MB');
      const puts = staging.logs.filter((l) => l.msg === 'request' && l.method === 'PUT' && String(l.path).endsWith(sha256(big)));
      expect(puts).toHaveLength(0);
      expect(r.stderr).toContain(`blob ${sha256(big)} is 70 MB`);
    } finally {
      await staging.stop();
    }
  }, 120_000);
});
