import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { FerryError } from '../../errors/index.js';
import { formatSize } from '../../config/size.js';

export interface ReadBodyOptions {
  /** Largest body accepted, in bytes. */
  limit: number;
  /** What the body is, for messages ("package", "blob"). */
  what: string;
  /** Error code for a body over the limit. */
  tooLargeCode?: 'FERRY_E_TOO_LARGE' | 'FERRY_E_ASSET_LIMIT';
}

export interface ReadBody {
  bytes: Buffer;
  sha256: string;
}

/**
 * Reads a request body while hashing it, refusing it as soon as it passes the limit (by its
 * Content-Length before reading anything, or by the bytes as they stream in), so an oversized
 * body is never buffered whole.
 */
export function readBody(req: IncomingMessage, opts: ReadBodyOptions): Promise<ReadBody> {
  const code = opts.tooLargeCode ?? 'FERRY_E_TOO_LARGE';
  const tooLarge = (size: number | string) =>
    new FerryError(code, `The ${opts.what} is ${typeof size === 'number' ? formatSize(size) : size}; this instance accepts at most ${formatSize(opts.limit)}.`, {
      data: { limit: opts.limit, ...(typeof size === 'number' ? { size } : {}) },
    });
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > opts.limit) {
    return drainBody(req).then(() => Promise.reject(tooLarge(Number(declared))));
  }
  return new Promise<ReadBody>((resolve, reject) => {
    const hash = createHash('sha256');
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > opts.limit) {
        done = true;
        chunks.length = 0;
        req.off('data', onData);
        void drainBody(req).then(() => reject(tooLarge(`over ${formatSize(opts.limit)}`)));
        return;
      }
      hash.update(chunk);
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => {
      if (done) return;
      done = true;
      resolve({ bytes: Buffer.concat(chunks, size), sha256: hash.digest('hex') });
    });
    const broke = (e?: Error) => {
      if (done) return;
      done = true;
      reject(new FerryError('FERRY_E_UNREACHABLE', `The connection broke while the ${opts.what} was being received${e ? `: ${e.message}` : ''}`, { cause: e }));
    };
    req.on('error', broke);
    // Closed without an end: the client went away, or the body timeout cut the connection.
    req.on('close', () => broke());
  });
}

/** Bytes of an unsigned request's body read (and dropped) after it was refused. */
export const LINGER_BYTES = 256 * 1024;
/** How long an unsigned request's body is read after it was refused. */
export const LINGER_MS = 2_000;

/**
 * For an early answer to a request that is not trusted: reads and drops what follows of its body
 * while the answer goes out, but only a little data for a little time, then closes the
 * connection. Reading a little (rather than closing at once) keeps the kernel from resetting the
 * connection over a small body already in flight, which would lose the answer; a body too large
 * (or too slow) to matter is cut off. Reading it here also keeps Node from dropping the rest of
 * the body unbounded after the answer. Call it before answering.
 */
export function lingerThenClose(req: IncomingMessage): void {
  if (req.complete) return;
  let read = 0;
  const cut = () => req.socket.destroy();
  const timer = setTimeout(cut, LINGER_MS);
  timer.unref();
  req.on('data', (chunk: Buffer) => {
    read += chunk.byteLength;
    if (read > LINGER_BYTES) cut();
  });
  req.once('end', () => clearTimeout(timer));
  req.once('close', () => clearTimeout(timer));
}

/** Requests whose body was too large to drain: their connection is closed after the answer. */
const gaveUp = new WeakSet<IncomingMessage>();

/** Bytes of an unwanted body read and dropped before answering, so the client hears the answer. */
export const DRAIN_CAP_BYTES = 64 * 1024 * 1024;

/**
 * Reads and drops the rest of a request body (up to `cap` bytes) so that an early answer (401,
 * 413) reaches the client instead of a connection reset. Resolves false when the body was cut
 * short or is larger than the cap: then the connection must be closed after answering.
 */
export function drainBody(req: IncomingMessage, cap = DRAIN_CAP_BYTES): Promise<boolean> {
  if (req.complete || req.readableEnded) return Promise.resolve(true);
  if (gaveUp.has(req)) return Promise.resolve(false);
  return new Promise<boolean>((resolve) => {
    let dropped = 0;
    const finish = (ok: boolean) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onFail);
      req.off('close', onClose);
      if (!ok) {
        gaveUp.add(req);
        req.pause();
      }
      resolve(ok);
    };
    const onData = (chunk: Buffer) => {
      dropped += chunk.byteLength;
      if (dropped > cap) finish(false);
    };
    const onEnd = () => finish(true);
    const onFail = () => finish(false);
    const onClose = () => finish(req.complete);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onFail);
    req.on('close', onClose);
    req.resume();
  });
}

