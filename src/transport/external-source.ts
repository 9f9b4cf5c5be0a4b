import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { FerryError } from '../errors/index.js';
import type { AssetSource } from '../model/index.js';
import { isLoopbackHost } from './loopback.js';

export interface FetchExternalOptions {
  /** Gives up on a connection that stays silent this long. Default 60 s. */
  idleTimeoutMs?: number;
}

/**
 * Fetches an external asset's bytes from its `source.url` and measures them (sha256 and size as
 * they stream by, never held whole); stops reading past the expected size. `https://` only, or
 * `http://` to a loopback host; no redirects (the URL recorded is the URL checked). Rejects with
 * FERRY_E_ASSET when the URL cannot be fetched.
 *
 * @example
 * await deploy({ ...options, verifyExternal: (source) => measureExternalSource(source) });
 */
export function measureExternalSource(source: AssetSource, opts: FetchExternalOptions = {}): Promise<{ size: number; sha256: string }> {
  let url: URL;
  try {
    url = new URL(source.url);
  } catch {
    return Promise.reject(externalError(source, 'is not a valid URL'));
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    return Promise.reject(externalError(source, 'must be https:// (http:// only to a loopback host)'));
  }
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = transport.get(url, { agent: false, headers: { accept: '*/*' } }, (res) => {
      if ((res.statusCode ?? 0) !== 200) {
        res.resume();
        reject(externalError(source, `answered HTTP ${res.statusCode}${res.headers.location ? ` (a redirect to ${res.headers.location}: record the final URL)` : ''}`));
        return;
      }
      const hash = createHash('sha256');
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.byteLength;
        // More than promised: the bytes are not the asset; no need to download the rest.
        if (size > source.size) {
          req.destroy();
          resolve({ size, sha256: '' });
          return;
        }
        hash.update(chunk);
      });
      res.on('end', () => resolve({ size, sha256: hash.digest('hex') }));
      res.on('error', (e) => reject(externalError(source, `broke off: ${e.message}`)));
    });
    req.setTimeout(opts.idleTimeoutMs ?? 60_000, () => req.destroy(new Error('no data for too long')));
    req.on('error', (e) => reject(externalError(source, `could not be fetched: ${e.message}`)));
  });
}

function externalError(source: AssetSource, what: string): FerryError {
  return new FerryError('FERRY_E_ASSET', `External asset URL ${source.url} ${what}`, { data: { url: source.url } });
}
