import { createHash } from 'node:crypto';
import { FerryError } from '../errors/index.js';

const SHA256_RE = /^[0-9a-f]{64}$/;

/**
 * Refuses anything but 64 lower-case hex digits. Blob ids become file names, so this is also what
 * keeps `../` and other path tricks out of the blob folder.
 */
export function assertSha256(sha256: string): void {
  if (typeof sha256 !== 'string' || !SHA256_RE.test(sha256)) {
    throw new FerryError('FERRY_E_ASSET', `Invalid blob id ${JSON.stringify(String(sha256).slice(0, 80))}: a sha256 is 64 lower-case hex digits.`, {
      data: { sha256: String(sha256).slice(0, 80) },
    });
  }
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
