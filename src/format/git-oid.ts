import { createHash } from 'node:crypto';

/**
 * Git's blob id of `bytes`: sha1 of `blob <length>\0` followed by the bytes. Same bytes give the
 * same oid everywhere, so a store can tell an unchanged file from its hash without git.
 */
export function gitBlobOid(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.byteLength}\0`).update(bytes).digest('hex');
}
