// Prometheus metrics of `ferry serve` at GET /metrics (prom-client), and OpenTelemetry spans of
// each synchronization task's phases (@opentelemetry/api). Both are fed from what the server
// already observes: each request as it closes, and the task worker's structured log events, so
// the routes and the worker stay as they are.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SpanStatusCode, context, trace, type Span, type Tracer } from '@opentelemetry/api';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { VERSION } from '../../version.js';
import { isLoopbackHost } from '../loopback.js';
import type { Logger } from './log.js';

export interface MetricsOptions {
  environment: string;
  /** Bearer token for GET /metrics; without one only loopback clients may read it. */
  token?: string;
  /** Task counts by state, read at scrape time. */
  taskStates: () => Record<string, number> | Promise<Record<string, number>>;
  /** Default: the global tracer provider (a no-op unless an OpenTelemetry SDK registered one). */
  tracer?: Tracer;
}

export interface ServerMetrics {
  readonly registry: Registry;
  /** Records one finished request. `code` is the FerryError code it failed with, if any. */
  observeRequest(method: string, path: string, status: number, seconds: number, code?: string): void;
  /** A logger that also turns task events into metrics and spans before passing them on. */
  observeLog(log: Logger): Logger;
  /** Answers GET /metrics (401 without the token; 403 from beyond loopback when there is none). */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

const TASK_STATES = ['Queued', 'Restoring', 'Completed', 'Failed'] as const;

/**
 * The route a path belongs to, for labels: ids, tokens and content names are replaced by
 * placeholders, so a scraper sees a handful of series, never one per object or lease.
 */
export function routeOf(path: string): string {
  if (path === '/healthz' || path === '/metrics') return path;
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'api' && parts[1] === 'sync') return ['/api/sync', ...parts.slice(2, 3), ...parts.slice(3).map(() => ':id')].join('/');
  if (parts[0] === 'v3') {
    const [, section, a, b, c] = parts;
    if (section === 'stacks') return `/v3/stacks/${a === 'sync' ? 'sync' : ':other'}`;
    if (section === 'content_types') return ['/v3/content_types', a && ':uid', b && (b === 'entries' ? 'entries' : ':other'), c && ':uid'].filter(Boolean).join('/');
    if (section === 'assets') return ['/v3/assets', a && ':uid', b && ':filename'].filter(Boolean).join('/');
    return '/v3/:other';
  }
  return 'other';
}

export function createServerMetrics(o: MetricsOptions): ServerMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ environment: o.environment });
  collectDefaultMetrics({ register: registry, prefix: 'ferry_' });
  new Gauge({ name: 'ferry_build_info', help: 'Ferry version of this instance (always 1).', labelNames: ['version'], registers: [registry] }).set({ version: VERSION }, 1);
  const requests = new Counter({ name: 'ferry_http_requests_total', help: 'HTTP requests by method, route and status.', labelNames: ['method', 'route', 'status'], registers: [registry] });
  const latency = new Histogram({
    name: 'ferry_http_request_duration_seconds',
    help: 'HTTP request latency by method and route (until the response is sent).',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  new Gauge({
    name: 'ferry_sync_tasks',
    help: 'Synchronization tasks kept by the instance, by state.',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const counts = await o.taskStates();
      for (const state of TASK_STATES) this.set({ state }, counts[state] ?? 0);
    },
  });
  const deployments = new Counter({ name: 'ferry_deployments_total', help: 'Deployments applied by the task worker, by outcome (succeeded, no-op, failed).', labelNames: ['status'], registers: [registry] });
  const lockWaits = new Histogram({
    name: 'ferry_lock_wait_seconds',
    help: 'Time deployers waited for the environment lock, by outcome (acquired, refused: still held when their wait ran out).',
    labelNames: ['outcome'],
    buckets: [0.01, 0.1, 0.5, 1, 5, 10, 30, 60, 120],
    registers: [registry],
  });

  const tracer = o.tracer ?? trace.getTracer('ferry', VERSION);
  const spans = new Map<number, { task: Span; phase?: Span }>();
  const phase = (id: number, name: string) => {
    const s = spans.get(id);
    if (!s) return;
    s.phase?.end();
    s.phase = tracer.startSpan(name, { attributes: { 'ferry.task': id } }, trace.setSpan(context.active(), s.task));
  };
  const finish = (id: number, error?: string) => {
    const s = spans.get(id);
    if (!s) return;
    for (const span of [s.phase, s.task]) {
      if (!span) continue;
      if (error) span.setStatus({ code: SpanStatusCode.ERROR, message: error });
      span.end();
    }
    spans.delete(id);
  };

  return {
    registry,
    observeRequest(method, path, status, seconds, code) {
      const route = routeOf(path);
      requests.inc({ method, route, status: String(status) });
      latency.observe({ method, route }, seconds);
      if (route === '/api/sync/lock' && method === 'POST') lockWaits.observe({ outcome: status < 300 ? 'acquired' : code === 'FERRY_E_LOCK' ? 'refused' : 'error' }, seconds);
    },
    observeLog(log) {
      return (level, msg, fields = {}) => {
        if (msg === 'task' && typeof fields.task === 'number') {
          const id = fields.task;
          switch (fields.step) {
            case 'queued':
              // The package was received and verified: the deployment's "read" on this side.
              spans.set(id, { task: tracer.startSpan('ferry.deployment', { attributes: { 'ferry.environment': o.environment, 'ferry.task': id, 'ferry.deployment': Number(fields.deployment) } }) });
              phase(id, 'queued');
              break;
            case 'restoring':
              if (!spans.has(id)) spans.set(id, { task: tracer.startSpan('ferry.deployment', { attributes: { 'ferry.environment': o.environment, 'ferry.task': id } }) });
              phase(id, 'apply');
              break;
            case 'committed':
              phase(id, 'commit');
              break;
            case 'completed':
              deployments.inc({ status: String(fields.status ?? 'succeeded') });
              finish(id);
              break;
            case 'failed':
              deployments.inc({ status: 'failed' });
              finish(id, String(fields.code ?? 'failed'));
              break;
            case 'abandoned':
              finish(id, 'abandoned');
              break;
          }
        }
        log(level, msg, fields);
      };
    },
    async handle(req, res) {
      if (o.token !== undefined) {
        const given = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1] ?? '';
        if (!sameSecret(given, o.token)) return plain(res, 401, 'metrics need the bearer token of FERRY_METRICS_TOKEN\n', { 'www-authenticate': 'Bearer' });
      } else if (!isLoopbackHost(stripIpv6Prefix(req.socket.remoteAddress ?? ''))) {
        return plain(res, 403, 'metrics are served to loopback clients only; set FERRY_METRICS_TOKEN to serve them to others\n');
      }
      const body = await registry.metrics();
      res.writeHead(200, { 'content-type': registry.contentType, 'content-length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
    },
  };
}

/** Constant-time comparison of two strings (different lengths compare unequal, still in constant time for the given one). */
function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length ? timingSafeEqual(a, b) : (timingSafeEqual(b, b), false);
}

function stripIpv6Prefix(address: string): string {
  return address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
}

function plain(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers });
  res.end(text);
}
