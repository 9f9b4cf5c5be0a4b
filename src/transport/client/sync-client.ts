import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FerryError } from '../../errors/index.js';
import { redactUrl } from '../../store/redact-url.js';
import { VERSION } from '../../version.js';
import { isLoopbackHost } from '../loopback.js';
import { fromWireError, type ErrorEnvelope } from '../protocol.js';
import { EMPTY_BODY_SHA256, SIGNATURE_HEADERS, sha256Of, signRequest, splitTarget } from '../signing.js';

export interface SyncClientOptions {
  /** `https://host[:port]` (or `http://` to a loopback host). */
  url: string;
  secret: string;
  /** Environment name, for messages. */
  environment?: string;
  /**
   * Certificate authorities to trust (PEM), replacing Node's default list: pass
   * `[...tls.rootCertificates, pem]` to add one, e.g. a self-signed instance certificate.
   */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Wall clock for request timestamps, in ms (tests move it to make stale requests). */
  clock?: () => number;
  /** Gives up on a request whose connection stays silent this long. Default 120 s. */
  idleTimeoutMs?: number;
}

export interface SyncResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface SendOptions {
  /** Raw body bytes (sent as application/octet-stream) or a value sent as JSON. */
  body?: Uint8Array | unknown;
  /** The body's sha256 when the caller knows it (a blob id), to skip hashing twice. */
  bodySha256?: string;
  headers?: Record<string, string>;
  /** Statuses that are answers, not errors (2xx always are). */
  accept?: readonly number[];
  /** What the request does, for error messages ("upload blob …"). */
  what?: string;
}

/** A request body streamed from a source that can be opened again for a retry. */
export interface StreamedBody {
  size: number;
  open: () => AsyncIterable<Uint8Array>;
}

export interface StreamSendOptions extends StreamedBody {
  /** sha256 of the bytes `open` yields (a blob id): what the request is signed with. */
  bodySha256: string;
  headers?: Record<string, string>;
  accept?: readonly number[];
  what?: string;
  /** Tries in all (default 4). */
  attempts?: number;
  /** Told about each failed try that will be retried. */
  onRetry?: (attempt: number, error: unknown) => void;
}

const RETRYABLE_SOCKET_ERRORS = new Set(['ECONNRESET', 'EPIPE']);
const UNREACHABLE_ERRORS = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);

/**
 * Signed HTTP to one Ferry instance. Every request carries a timestamp, a fresh nonce, the
 * body's sha256 and an HMAC-SHA256 over all of them (see signing.ts). Connections are kept
 * alive; failures become FerryErrors (unreachable → FERRY_E_UNREACHABLE, refused → the code the
 * instance sent).
 */
export class SyncClient {
  readonly baseUrl: URL;
  readonly shownUrl: string;
  private readonly secret: string;
  private readonly environment?: string;
  private readonly clock: () => number;
  private readonly idleTimeoutMs: number;
  private readonly agent: http.Agent;
  private readonly transport: typeof http | typeof https;

  constructor(opts: SyncClientOptions) {
    this.baseUrl = parseInstanceUrl(opts.url, opts.environment);
    this.shownUrl = this.baseUrl.origin;
    this.secret = opts.secret;
    this.environment = opts.environment;
    this.clock = opts.clock ?? Date.now;
    this.idleTimeoutMs = opts.idleTimeoutMs ?? 120_000;
    const secure = this.baseUrl.protocol === 'https:';
    this.transport = secure ? https : http;
    this.agent = secure ? new https.Agent({ keepAlive: true, maxSockets: 8, ...(opts.ca ? { ca: opts.ca } : {}) }) : new http.Agent({ keepAlive: true, maxSockets: 8 });
  }

  /** Sends a signed request; resolves with 2xx (or accepted) answers, rejects with a FerryError otherwise. */
  async send(method: string, target: string, opts: SendOptions = {}): Promise<SyncResponse> {
    const { bytes, contentType } = encodeBody(opts.body);
    const bodySha256 = bytes ? (opts.bodySha256 ?? sha256Of(bytes)) : EMPTY_BODY_SHA256;
    const safe = method === 'GET' || method === 'HEAD' || method === 'PUT' || method === 'DELETE';
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await this.once(method, target, bytes, contentType, bodySha256, opts.headers ?? {});
        if (res.status === 429 && attempt < 5) {
          await new Promise((r) => setTimeout(r, 200 * (attempt + 1)));
          continue;
        }
        if ((res.status >= 200 && res.status < 300) || opts.accept?.includes(res.status)) return res;
        throw this.errorOf(res, method, target, opts.what);
      } catch (e) {
        // A kept-alive socket the server closed while idle never carried this request: send it again
        // (new nonce). Idempotent requests are retried on a reset of a fresh socket too.
        const err = e as NodeJS.ErrnoException & { reusedSocket?: boolean };
        if (attempt === 0 && RETRYABLE_SOCKET_ERRORS.has(err.code ?? '') && (safe || err.reusedSocket)) continue;
        throw this.transportError(e, method, target, opts.what);
      }
    }
  }

  /**
   * Sends a body of `size` bytes streamed from `open()` (a blob of any size, never held whole), and
   * retries the whole request up to `attempts` times when the connection breaks or the instance
   * answers 5xx or 429: each attempt calls `open()` again and signs afresh (new nonce).
   */
  async sendStream(method: string, target: string, opts: StreamSendOptions): Promise<SyncResponse> {
    const attempts = opts.attempts ?? 4;
    for (let attempt = 1; ; attempt++) {
      let res: SyncResponse;
      try {
        res = await this.once(method, target, { size: opts.size, open: opts.open }, 'application/octet-stream', opts.bodySha256, opts.headers ?? {});
      } catch (e) {
        if (e instanceof FerryError || attempt >= attempts) throw this.transportError(e, method, target, opts.what);
        opts.onRetry?.(attempt, e);
        await new Promise((r) => setTimeout(r, 250 * attempt));
        continue;
      }
      if ((res.status >= 200 && res.status < 300) || opts.accept?.includes(res.status)) return res;
      if ((res.status >= 500 || res.status === 429) && attempt < attempts) {
        opts.onRetry?.(attempt, this.errorOf(res, method, target, opts.what));
        await new Promise((r) => setTimeout(r, 250 * attempt));
        continue;
      }
      throw this.errorOf(res, method, target, opts.what);
    }
  }

  /** Sends and parses a JSON answer. */
  async json<T>(method: string, target: string, opts: SendOptions = {}): Promise<T> {
    const res = await this.send(method, target, opts);
    try {
      return JSON.parse(res.body.toString('utf8')) as T;
    } catch (e) {
      throw new FerryError('FERRY_E_UNREACHABLE', `${this.where()} answered ${method} ${splitTarget(target).path} with something that is not JSON (HTTP ${res.status}); is this a Ferry instance?`, {
        data: { url: this.shownUrl, status: res.status },
        cause: e,
      });
    }
  }

  close(): void {
    this.agent.destroy();
  }

  private where(): string {
    return `The instance${this.environment ? ` of ${this.environment}` : ''} at ${this.shownUrl}`;
  }

  private once(method: string, target: string, body: Buffer | StreamedBody | undefined, contentType: string | undefined, bodySha256: string, extra: Record<string, string>): Promise<SyncResponse> {
    const bytes = body instanceof Uint8Array ? body : undefined;
    const streamed = body instanceof Uint8Array ? undefined : body;
    const url = new URL(target, this.baseUrl);
    const { path, query } = splitTarget(`${url.pathname}${url.search}`);
    const timestamp = String(Math.floor(this.clock()));
    const nonce = randomBytes(16).toString('hex');
    const signature = signRequest(this.secret, { method, path, query, timestamp, nonce, bodySha256 });
    const headers: Record<string, string> = {
      ...extra,
      'user-agent': `ferry/${VERSION}`,
      accept: 'application/json',
      [SIGNATURE_HEADERS.timestamp]: timestamp,
      [SIGNATURE_HEADERS.nonce]: nonce,
      [SIGNATURE_HEADERS.bodySha256]: bodySha256,
      [SIGNATURE_HEADERS.signature]: signature,
      'content-length': String(streamed ? streamed.size : (bytes?.byteLength ?? 0)),
    };
    if (contentType) headers['content-type'] = contentType;
    return new Promise<SyncResponse>((resolve, reject) => {
      // An instance may answer before it has read a streamed body (413: over its limit) and then
      // close the connection: the answer counts, the broken upload after it does not.
      let responded = false;
      const req = this.transport.request(
        { protocol: url.protocol, hostname: url.hostname, port: url.port, method, path: query ? `${path}?${query}` : path, headers, agent: this.agent },
        (res) => {
          responded = true;
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      req.setTimeout(this.idleTimeoutMs, () => req.destroy(Object.assign(new Error(`no answer for ${this.idleTimeoutMs} ms`), { code: 'ETIMEDOUT' })));
      req.on('error', (e) => {
        if (!responded) reject(Object.assign(e, { reusedSocket: req.reusedSocket }));
      });
      if (!streamed) {
        req.end(bytes);
        return;
      }
      // Chunk by chunk, waiting for the socket to drain: memory stays at a chunk or two.
      pipeline(Readable.from(exactly(streamed), { objectMode: false }), req).catch((e: unknown) => {
        if (responded) return;
        req.destroy(e instanceof Error ? e : new Error(String(e)));
        reject(e);
      });
    });
  }

  private errorOf(res: SyncResponse, method: string, target: string, what?: string): FerryError {
    const context = `${this.where()} refused to ${what ?? `${method} ${splitTarget(target).path}`}`;
    let envelope: ErrorEnvelope | undefined;
    try {
      envelope = JSON.parse(res.body.toString('utf8')) as ErrorEnvelope;
    } catch {
      envelope = undefined;
    }
    if (envelope?.error && typeof envelope.error.code === 'string') return fromWireError(envelope.error, context);
    if (method === 'HEAD' && res.status === 401) return new FerryError('FERRY_E_AUTH', `${context}: authentication failed (HTTP 401)`, { data: { url: this.shownUrl } });
    return new FerryError('FERRY_E_UNREACHABLE', `${context}: unexpected answer HTTP ${res.status}; is ${this.shownUrl} a Ferry instance (\`ferry serve\`)?`, {
      data: { url: this.shownUrl, status: res.status },
    });
  }

  private transportError(e: unknown, method: string, target: string, what?: string): FerryError {
    if (e instanceof FerryError) return e;
    const err = e as NodeJS.ErrnoException;
    const code = err.code ?? '';
    const doing = what ?? `${method} ${splitTarget(target).path}`;
    if (/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code) || /certificate/i.test(err.message)) {
      return new FerryError('FERRY_E_UNREACHABLE', `${this.where()} failed the TLS check while trying to ${doing}: ${err.message}${code ? ` (${code})` : ''}`, {
        data: { url: this.shownUrl, cause: code },
        hint: 'Check the instance certificate (its names must include the host in the URL). For a private CA or a self-signed certificate, point NODE_EXTRA_CA_CERTS at its PEM file.',
        cause: e,
      });
    }
    if (UNREACHABLE_ERRORS.has(code) || err.message === 'socket hang up') {
      return new FerryError('FERRY_E_UNREACHABLE', `${this.where()} is unreachable (${code || err.message}) while trying to ${doing}`, {
        data: { url: this.shownUrl, cause: code || err.message },
        cause: e,
      });
    }
    return new FerryError('FERRY_E_UNREACHABLE', `${this.where()}: request failed while trying to ${doing}: ${err.message ?? String(e)}`, {
      data: { url: this.shownUrl },
      cause: e,
    });
  }
}

/**
 * The chunks of a streamed body, refusing a source that gives more or fewer bytes than the
 * Content-Length sent (the request would otherwise hang or be cut at a wrong place).
 */
async function* exactly(body: StreamedBody): AsyncIterable<Uint8Array> {
  let n = 0;
  const wrong = (what: string) => new FerryError('FERRY_E_ASSET', `A streamed upload's source gave ${what} than the ${body.size} bytes announced; nothing was sent in full.`, { data: { size: body.size } });
  for await (const chunk of body.open()) {
    n += chunk.byteLength;
    if (n > body.size) throw wrong('more bytes');
    yield chunk;
  }
  if (n !== body.size) throw wrong(`${n} bytes, fewer`);
}

function encodeBody(body: unknown): { bytes?: Buffer; contentType?: string } {
  if (body === undefined) return {};
  if (body instanceof Uint8Array) return { bytes: Buffer.from(body.buffer, body.byteOffset, body.byteLength), contentType: 'application/octet-stream' };
  return { bytes: Buffer.from(JSON.stringify(body), 'utf8'), contentType: 'application/json' };
}

/**
 * Checks an instance URL: https, or http only to a loopback host (anything else would send
 * content and signatures in clear text); no path, credentials, query or fragment.
 */
export function parseInstanceUrl(raw: string, environment?: string): URL {
  const whose = environment ? ` of environment ${environment}` : '';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new FerryError('FERRY_E_STORE_URL', `The store URL${whose} is not a valid URL: ${JSON.stringify(redactUrl(raw))}.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new FerryError('FERRY_E_STORE_URL', `The store URL${whose} must start with https:// (a remote Ferry instance), not ${url.protocol}//.`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new FerryError('FERRY_E_STORE_URL', `Refusing plain http:// to ${url.hostname}${whose}: content and signatures would cross the network unencrypted. Use https://${url.host} (start the instance with --tls-cert and --tls-key, or put it behind a TLS proxy).`, {
      data: { host: url.hostname },
      hint: 'http:// is accepted only for loopback hosts (127.0.0.1, ::1, localhost).',
    });
  }
  if (url.username || url.password) {
    throw new FerryError('FERRY_E_STORE_URL', `The store URL${whose} must not hold credentials: the shared secret comes from the environment variable named by \`secretEnv\`.`);
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash) {
    throw new FerryError('FERRY_E_STORE_URL', `The store URL${whose} must be the instance origin only (e.g. https://ferry.example.com:8443), without a path, query or fragment.`);
  }
  return url;
}
