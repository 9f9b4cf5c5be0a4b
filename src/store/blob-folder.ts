import { createHash, randomBytes } from 'node:crypto';
import { open } from 'node:fs/promises';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FerryError } from '../errors/index.js';
import { assertSha256, sha256Hex } from './sha256.js';

/**
 * A content-addressed folder of blobs: `<root>/ab/cdef…` (the first two hex digits make a
 * sub-folder so no folder grows huge). Files are written to a temporary name and renamed, so a
 * reader never sees half a blob; the bytes are checked against their sha256 before they land.
 * A blob is on disk (its bytes and its name flushed) before `write` returns, so a power loss
 * after the deployment that references it committed can never leave the row without its file.
 */
export class BlobFolder {
  constructor(readonly root: string) {}

  pathOf(sha256: string): string {
    assertSha256(sha256);
    return join(this.root, sha256.slice(0, 2), sha256.slice(2));
  }

  has(sha256: string): boolean {
    try {
      return statSync(this.pathOf(sha256)).isFile();
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  }

  read(sha256: string): Uint8Array | undefined {
    try {
      return new Uint8Array(readFileSync(this.pathOf(sha256)));
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** Writes the blob unless it is already there. Returns false when it was. */
  write(sha256: string, bytes: Uint8Array): boolean {
    const target = this.pathOf(sha256);
    const actual = sha256Hex(bytes);
    if (actual !== sha256) {
      throw new FerryError('FERRY_E_ASSET', `Blob bytes do not match their sha256: expected ${sha256}, got ${actual} (${bytes.byteLength} bytes).`, {
        data: { expected: sha256, actual, size: bytes.byteLength },
      });
    }
    if (this.has(sha256)) return false;
    const dir = join(this.root, sha256.slice(0, 2));
    mkdirSync(dir, { recursive: true });
    const temp = join(dir, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
    try {
      writeFileSync(temp, bytes, { flush: true });
      renameSync(temp, target);
      flushFolder(dir);
    } catch (e) {
      rmSync(temp, { force: true });
      throw e;
    }
    return true;
  }

  /**
   * Writes a blob from chunks into a temporary file, hashing on the way, and renames it into place
   * only when its sha256 and size match; otherwise the temporary file is removed and nothing lands.
   * Returns false when the blob was already there (the chunks are then not read).
   */
  async writeStream(sha256: string, size: number, chunks: AsyncIterable<Uint8Array>): Promise<boolean> {
    const target = this.pathOf(sha256);
    if (this.has(sha256)) return false;
    const dir = join(this.root, sha256.slice(0, 2));
    mkdirSync(dir, { recursive: true });
    const temp = join(dir, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
    const hash = createHash('sha256');
    let written = 0;
    try {
      const out = await open(temp, 'wx');
      try {
        for await (const chunk of chunks) {
          written += chunk.byteLength;
          if (written > size) break;
          hash.update(chunk);
          await out.write(chunk);
        }
        // On disk before the commit that references it (see write).
        if (written === size) await out.sync();
      } finally {
        await out.close();
      }
      const actual = written > size ? undefined : hash.digest('hex');
      if (written !== size || actual !== sha256) {
        throw new FerryError('FERRY_E_ASSET', `Blob bytes do not match their id: expected ${sha256} (${size} bytes), got ${written > size ? `more than ${size} bytes` : `${actual} (${written} bytes)`}; nothing was stored.`, {
          data: { expected: sha256, actual, size: written, expectedSize: size },
        });
      }
      renameSync(temp, target);
      flushFolder(dir);
    } catch (e) {
      rmSync(temp, { force: true });
      throw e;
    }
    return true;
  }
}

/** fsync of a folder: makes a rename in it durable (a no-op where folders cannot be opened). */
function flushFolder(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Windows cannot open a folder; NTFS journals the rename itself.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function isNotFound(e: unknown): boolean {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
