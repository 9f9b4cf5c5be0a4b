import type { ServerResponse } from 'node:http';
import { FerryError } from '../../errors/index.js';
import { isAuthenticated } from './auth.js';
import { drainBody, lingerThenClose } from './body.js';
import { httpStatusOf, toWireError, type ErrorEnvelope } from '../protocol.js';

/** Sends a JSON answer with its length (HEAD requests get the headers only). */
export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(body.byteLength), 'cache-control': 'no-store' });
  res.end(res.req?.method === 'HEAD' ? undefined : body);
}

export function sendBytes(res: ServerResponse, status: number, bytes: Uint8Array, contentType = 'application/octet-stream'): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': String(bytes.byteLength), 'cache-control': 'no-store' });
  res.end(res.req?.method === 'HEAD' ? undefined : bytes);
}

/**
 * The error envelope `{ success: false, error: { code, message, hint, data } }` with the code's
 * HTTP status. Anything that is not a FerryError is a bug: its details go to the log, not out.
 * A signed client's unread request body is drained first (see drainBody), so it receives the
 * answer. A request that is not signed (or whose signature failed) is answered at once, before
 * its body arrives, and only a little of its body is read afterwards (see lingerThenClose).
 */
export async function sendError(res: ServerResponse, e: unknown): Promise<FerryError> {
  const err = asFerryError(e);
  const status = err.data.retry === true ? 429 : httpStatusOf(err.code);
  if (res.headersSent) {
    res.destroy();
    return err;
  }
  if (res.req && !isAuthenticated(res.req)) lingerThenClose(res.req);
  else if (res.req && !(await drainBody(res.req))) {
    // The body timeout may have answered (408) and closed the connection while this drained.
    if (res.headersSent || res.destroyed) return err;
    res.setHeader('connection', 'close');
  }
  const envelope: ErrorEnvelope = { success: false, error: toWireError(err) };
  sendJson(res, status, envelope);
  return err;
}

export function asFerryError(e: unknown): FerryError {
  return e instanceof FerryError ? e : new FerryError('FERRY_E_INTERNAL', 'Internal error in the instance; see its log.', { cause: e });
}
