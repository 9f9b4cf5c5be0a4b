/**
 * Streamed blobs on a real blob folder and SQLite store: bytes land only when their sha256 and
 * size match, a stream of the wrong bytes leaves nothing behind (no temp files either).
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/index.js';
import { makeTempDir, removeGitRepos } from '../support/gitdir.js';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function* chunks(bytes: Uint8Array, size = 64 * 1024): AsyncIterable<Uint8Array> {
  for (let i = 0; i < bytes.byteLength; i += size) yield bytes.subarray(i, i + size);
}

describe('SqliteStore.putBlobStream', () => {
  afterAll(removeGitRepos);

  it('stores streamed bytes under their sha256 and reads back the same bytes', async () => {
    const dir = makeTempDir('ferry-blob-');
    const store = SqliteStore.open(join(dir, 'env.db'));
    try {
      const bytes = randomBytes(3 * 1024 * 1024 + 5);
      await store.putBlobStream(sha256(bytes), bytes.byteLength, () => chunks(bytes));
      expect(await store.hasBlob(sha256(bytes))).toBe(true);
      const back = await store.readBlob(sha256(bytes));
      expect(back && sha256(back)).toBe(sha256(bytes));
      // Idempotent: a second put of present bytes does not read the source.
      let opened = 0;
      await store.putBlobStream(sha256(bytes), bytes.byteLength, () => {
        opened++;
        return chunks(bytes);
      });
      expect(opened).toBe(1);
    } finally {
      await store.close();
    }
  });

  it.each([
    ['other bytes of the same size', (b: Buffer) => randomBytes(b.byteLength), 'do not match their id'],
    ['one byte short', (b: Buffer) => b.subarray(1), 'do not match their id'],
    ['bytes past the size', (b: Buffer) => Buffer.concat([b, Buffer.from('x')]), 'more than'],
  ])('refuses and stores nothing for %s (FERRY_E_ASSET)', async (_, mangle, message) => {
    const dir = makeTempDir('ferry-blob-');
    const store = SqliteStore.open(join(dir, 'env.db'));
    try {
      const bytes = randomBytes(200_000);
      const sent = mangle(bytes);
      await expect(store.putBlobStream(sha256(bytes), bytes.byteLength, () => chunks(sent))).rejects.toMatchObject({ code: 'FERRY_E_ASSET', message: expect.stringContaining(message) });
      expect(await store.hasBlob(sha256(bytes))).toBe(false);
      const blobDir = join(dir, 'env.db.blobs');
      const left = existsSync(blobDir) ? readdirSync(blobDir, { recursive: true }).map(String).filter((p) => p.includes('/')) : [];
      expect(left).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
