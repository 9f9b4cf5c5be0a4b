import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { GUID_RE } from '../../model/index.js';
import { DeliveryError, ERROR_CODES } from './delivery-error.js';
import type { DeliveryReads } from './delivery-reads.js';
import { ifNoneMatchHits, ifRangeHolds, parseRange } from './http-range.js';

/** Media types sent as they are; anything else goes out as application/octet-stream. */
const MEDIA_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]*$/;

/**
 * `GET /v3/assets/:uid/:filename`: the bytes of a (published) asset, from the store's blobs by
 * its sha256; for an external asset, a redirect (302) to its source URL. The path names nothing
 * on disk: the uid must be a guid of an asset in the store and the
 * file name must equal its file name exactly. Conditional (`If-None-Match` → 304) and single range
 * (`Range` → 206, 416 when unsatisfiable, `If-Range`) requests are served; the entity tag is the
 * sha256. Like Contentstack's asset URLs, these need no credentials (browsers load them in
 * `<img src>`); the guid in the URL is not guessable.
 */
export async function serveAssetFile(req: IncomingMessage, res: ServerResponse, reads: DeliveryReads, uid: string, fileName: string): Promise<void> {
  const notFound = () => new DeliveryError(404, ERROR_CODES.notFound, `No asset file /v3/assets/${uid}/${fileName} in this environment.`, { uid: ['is not valid.'] });
  if (!GUID_RE.test(uid)) throw notFound();
  const found = (await reads.assetsByKeys([uid])).get(uid);
  if (!found || found.asset.fileName !== fileName) throw notFound();
  const asset = found.asset;
  if (asset.source || asset.sha256 === undefined) {
    // An external asset's bytes are not on this instance: send the client where they are.
    if (!asset.source) throw notFound();
    res.writeHead(302, { location: asset.source.url, 'cache-control': 'public, no-cache', 'access-control-allow-origin': '*', 'content-length': '0' });
    res.end();
    return;
  }
  const blob = await reads.blob(asset.sha256);
  if (!blob) throw new DeliveryError(500, ERROR_CODES.internal, `The file of asset ${uid} (${fileName}) is missing from the instance's blob store; redeploy the asset.`);
  const size = blob.size;
  const etag = `"${asset.sha256}"`;
  const headers: Record<string, string> = {
    'content-type': MEDIA_TYPE.test(asset.mediaType) ? asset.mediaType : 'application/octet-stream',
    etag,
    'accept-ranges': 'bytes',
    'cache-control': 'public, no-cache',
    'content-disposition': `inline; filename*=UTF-8''${encodeRfc5987(fileName)}`,
    'x-content-type-options': 'nosniff',
    // An SVG opened from this origin must not run scripts.
    'content-security-policy': "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox",
    'access-control-allow-origin': '*',
  };
  if (ifNoneMatchHits(header(req, 'if-none-match'), etag)) {
    res.writeHead(304, { etag, 'cache-control': headers['cache-control'], 'access-control-allow-origin': '*' });
    res.end();
    return;
  }
  const range = ifRangeHolds(header(req, 'if-range'), etag) ? parseRange(header(req, 'range'), size) : undefined;
  if (range === 'unsatisfiable') {
    res.writeHead(416, { 'content-range': `bytes */${size}`, 'content-length': '0', etag, 'access-control-allow-origin': '*' });
    res.end();
    return;
  }
  const start = range?.start ?? 0;
  const end = range?.end ?? size - 1;
  const length = size === 0 ? 0 : end - start + 1;
  res.writeHead(range ? 206 : 200, {
    ...headers,
    'content-length': String(length),
    ...(range ? { 'content-range': `bytes ${start}-${end}/${size}` } : {}),
  });
  if (req.method === 'HEAD' || length === 0) {
    res.end();
    return;
  }
  try {
    await pipeline(blob.open(start, end), res);
  } catch {
    // The client went away, or the file could not be read after the headers went out.
    res.destroy();
  }
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

function encodeRfc5987(s: string): string {
  return encodeURIComponent(s).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
