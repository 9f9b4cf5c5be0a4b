import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { Store } from '../../model/index.js';
import type { DeliveryHandler } from '../server/instance-server.js';
import type { Logger } from '../server/log.js';
import { splitTarget } from '../signing.js';
import { serveAssetFile } from './asset-download.js';
import { Catalog } from './catalog.js';
import { getAsset, getContentType, getEntry, listAssets, listContentTypes, listEntries, type ContentRoutesContext } from './content-routes.js';
import { checkCredentials, type DeliveryCredentials } from './credentials.js';
import { DeliveryError, ERROR_CODES, invalidParameter } from './delivery-error.js';
import type { DeliveryReads } from './delivery-reads.js';
import { parseSyncRequest } from './sync-request.js';
import { SyncService } from './sync-service.js';

export interface DeliveryHandlerOptions {
  /** The environment the instance serves; a request's `environment` parameter must name it. */
  environment: string;
  /** The environment's local store (SQLite or PostgreSQL: it has the delivery reads). */
  store: Store;
  /** `EnvironmentConfig.delivery`; without it every request is refused with 412. */
  credentials?: DeliveryCredentials;
  /**
   * `delivery.publicAssets`: asset files (`/v3/assets/:uid/:filename`) are served without
   * credentials, like Contentstack's asset URLs. Default true; false asks for credentials there too.
   */
  publicAssets?: boolean;
  /** Base of asset URLs (e.g. `https://cdn.example.com` behind a proxy); default: from the request's Host. */
  publicUrl?: string;
  now?: () => Date;
  /** Where internal errors are logged (their details never go to the client). */
  log?: Logger;
  /** Items a sync page (default 100, as Contentstack). */
  pageSize?: number;
}

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'etag, content-range, content-length',
};

/**
 * The delivery API of `ferry serve` under `/v3/*`, wire-compatible with Contentstack's Content
 * Delivery and Sync APIs so that its SDKs work against a Ferry instance:
 *
 * - `GET /v3/stacks/sync` (init, pagination_token, sync_token)
 * - `GET /v3/content_types[/:uid]`, `GET /v3/content_types/:uid/entries[/:entry_uid]`
 * - `GET /v3/assets[/:uid]`, and `GET /v3/assets/:uid/:filename` (the file; without credentials
 *   unless `publicAssets` is false)
 *
 * Requests carry `api_key` and `access_token` (a delivery token) as headers or query parameters;
 * only published content is ever served. Errors are `{ error_message, error_code, errors }`.
 *
 * @example
 * const deliveryHandler = createDeliveryHandler({ environment: 'prod', store, credentials: env.delivery });
 * await startInstanceServer({ ..., deliveryHandler });
 */
export function createDeliveryHandler(o: DeliveryHandlerOptions): DeliveryHandler {
  const now = o.now ?? (() => new Date());
  const reads = o.store.deliveryReads();
  let routes: Routes | undefined;
  return async (req, res) => {
    const { path, query } = splitTarget(req.url ?? '/');
    if (path !== '/v3' && !path.startsWith('/v3/')) return false;
    try {
      if (!reads) throw new DeliveryError(501, ERROR_CODES.internal, `The delivery API needs a local store (sqlite: or postgres://); ${o.environment} is served from another kind of store.`);
      routes ??= new Routes(o, reads, now);
      await routes.handle(req, res, path, new URLSearchParams(query));
    } catch (e) {
      sendError(res, e, o.log, req, path);
    }
    return true;
  };
}

class Routes {
  private readonly catalog: Catalog;
  private readonly sync: SyncService;
  private readonly content: ContentRoutesContext;
  private key: Buffer | undefined;

  constructor(
    private readonly o: DeliveryHandlerOptions,
    private readonly reads: DeliveryReads,
    now: () => Date,
  ) {
    this.catalog = new Catalog(reads);
    this.sync = new SyncService({ reads, catalog: this.catalog, environment: o.environment, now, pageSize: o.pageSize, tokenKey: async () => (this.key ??= await reads.tokenKey()) });
    this.content = { reads, catalog: this.catalog, environment: o.environment, now };
  }

  async handle(req: IncomingMessage, res: ServerResponse, path: string, q: URLSearchParams): Promise<void> {
    if (req.method === 'OPTIONS') return preflight(res);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      throw new DeliveryError(405, ERROR_CODES.method, `The delivery API is read-only: use GET (not ${req.method}).`, {}, { allow: 'GET, HEAD, OPTIONS' });
    }
    const seg = segments(path);
    const baseUrl = this.baseUrl(req);
    // /v3/assets/:uid/:filename is public by default, like Contentstack's asset URLs.
    if (seg.length === 4 && seg[1] === 'assets') {
      if (this.o.publicAssets === false) this.authorize(req, q);
      return serveAssetFile(req, res, this.reads, seg[2], seg[3]);
    }

    const route = this.route(seg, q, baseUrl);
    if (!route) throw new DeliveryError(404, ERROR_CODES.notFound, `No delivery endpoint GET ${path}.`);
    this.authorize(req, q);
    sendJson(res, 200, await route());
  }

  private route(seg: string[], q: URLSearchParams, baseUrl: string): (() => Promise<unknown>) | undefined {
    const [, a, b, c, d] = seg;
    if (seg.length === 3 && a === 'stacks' && b === 'sync') {
      return async () => {
        const r = parseSyncRequest(q);
        return r.kind === 'init' ? this.sync.init(r.filters, baseUrl) : this.sync.continue(r.param, r.token, baseUrl);
      };
    }
    if (a === 'content_types') {
      if (seg.length === 2) return () => listContentTypes(this.content, q);
      if (seg.length === 3) return () => getContentType(this.content, b);
      if (seg.length === 4 && c === 'entries') return () => listEntries(this.content, b, q, baseUrl);
      if (seg.length === 5 && c === 'entries') return () => getEntry(this.content, b, d, q, baseUrl);
    }
    if (a === 'assets') {
      if (seg.length === 2) return () => listAssets(this.content, q, baseUrl);
      if (seg.length === 3) return () => getAsset(this.content, b, q, baseUrl);
    }
    return undefined;
  }

  /** Credentials (412), then the environment parameter and the branch header (422). */
  private authorize(req: IncomingMessage, q: URLSearchParams): void {
    checkCredentials(this.o.environment, this.o.credentials, header(req, 'api_key') ?? (q.get('api_key') || undefined), header(req, 'access_token') ?? (q.get('access_token') || undefined));
    const env = q.get('environment');
    if (env && env !== this.o.environment) {
      throw invalidParameter('environment', `This instance serves environment ${JSON.stringify(this.o.environment)}, not ${JSON.stringify(env)}: point the client at that environment's instance.`);
    }
    const branch = header(req, 'branch');
    if (branch !== undefined && branch !== 'main') {
      throw invalidParameter('branch', `Ferry instances serve one environment and no branches: send no branch header, or branch main (got ${JSON.stringify(branch)}).`);
    }
  }

  private baseUrl(req: IncomingMessage): string {
    if (this.o.publicUrl) return this.o.publicUrl.replace(/\/+$/, '');
    const tls = (req.socket as TLSSocket).encrypted === true;
    const host = req.headers.host;
    // Only a plain host[:port] is echoed into URLs; anything else falls back to the socket address.
    if (host && /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/.test(host)) return `${tls ? 'https' : 'http'}://${host}`;
    const addr = req.socket.localAddress ?? '127.0.0.1';
    return `${tls ? 'https' : 'http'}://${addr.includes(':') ? `[${addr}]` : addr}:${req.socket.localPort ?? ''}`;
  }
}

/** Path segments, percent-decoded: ['v3', …]. A segment that does not decode finds no route. */
function segments(path: string): string[] {
  return path
    .split('/')
    .slice(1)
    .filter((s, i, all) => s !== '' || i < all.length - 1)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return '\u0000';
      }
    });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s === '' ? undefined : s;
}

function preflight(res: ServerResponse): void {
  res.writeHead(204, {
    ...CORS_HEADERS,
    'access-control-allow-methods': 'GET, HEAD, OPTIONS',
    'access-control-allow-headers': 'api_key, access_token, branch, content-type, x-user-agent, if-none-match, if-range, range',
    'access-control-max-age': '600',
  });
  res.end();
}

function sendJson(res: ServerResponse, status: number, value: unknown, extra: Record<string, string> = {}): void {
  // Written as a string: copying a 150 KB page into a Buffer first costs as much as encoding it.
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body, 'utf8')), 'cache-control': 'no-store', ...CORS_HEADERS, ...extra });
  if (res.req?.method === 'HEAD') res.end();
  else res.end(body, 'utf8');
}

function sendError(res: ServerResponse, e: unknown, log: Logger | undefined, req: IncomingMessage, path: string): void {
  const err =
    e instanceof DeliveryError ? e : new DeliveryError(500, ERROR_CODES.internal, 'Internal error in the instance; see its log.');
  if (!(e instanceof DeliveryError) || err.status >= 500) {
    log?.('error', 'delivery error', { method: req.method, path, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, err.status, err.toBody(), err.headers);
}
