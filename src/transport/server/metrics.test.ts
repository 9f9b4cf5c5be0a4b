import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { trace } from '@opentelemetry/api';
import { recordingTracer } from '../../restore/test-support/recording-tracer.js';
import { createServerMetrics, routeOf } from './metrics.js';

describe('routeOf', () => {
  it.each([
    ['/healthz', '/healthz'],
    ['/metrics', '/metrics'],
    ['/api/sync/check', '/api/sync/check'],
    ['/api/sync/tasks/17', '/api/sync/tasks/:id'],
    ['/api/sync/lock/secret-lease-token', '/api/sync/lock/:id'],
    ['/v3/stacks/sync', '/v3/stacks/sync'],
    ['/v3/content_types/article/entries/0f3c', '/v3/content_types/:uid/entries/:uid'],
    ['/v3/assets/abc/logo.png', '/v3/assets/:uid/:filename'],
    ['/wp-admin/login.php', 'other'],
  ])('%s → %s', (path, route) => expect(routeOf(path)).toBe(route));
});

describe('createServerMetrics', () => {
  const scrape = async (m: ReturnType<typeof createServerMetrics>, remoteAddress: string, authorization?: string) => {
    let status = 0;
    let body = '';
    const req = { method: 'GET', headers: authorization ? { authorization } : {}, socket: { remoteAddress } } as unknown as IncomingMessage;
    const res = { writeHead: (s: number) => ((status = s), res), end: (b?: string) => void (body = b ?? '') } as unknown as ServerResponse;
    await m.handle(req, res);
    return { status, body };
  };

  it('counts requests by route and status, latency, lock waits, tasks by state and deployments', async () => {
    const m = createServerMetrics({ environment: 'prod', taskStates: () => ({ Completed: 2, Failed: 1 }) });
    m.observeRequest('POST', '/api/sync/check', 200, 0.004);
    m.observeRequest('POST', '/api/sync/lock', 200, 0.2);
    m.observeRequest('POST', '/api/sync/lock', 409, 30, 'FERRY_E_LOCK');
    m.observeRequest('GET', '/api/sync/tasks/9', 404, 0.001, 'FERRY_E_NOT_FOUND');
    const log = m.observeLog(() => undefined);
    log('info', 'task', { task: 1, step: 'queued', deployment: 4 });
    log('info', 'task', { task: 1, step: 'completed', status: 'succeeded' });
    log('warn', 'task', { task: 2, step: 'failed', code: 'FERRY_E_VALIDATION' });
    const { status, body } = await scrape(m, '127.0.0.1');
    expect(status).toBe(200);
    expect(body).toContain('ferry_http_requests_total{method="POST",route="/api/sync/check",status="200",environment="prod"} 1');
    expect(body).toContain('ferry_http_requests_total{method="GET",route="/api/sync/tasks/:id",status="404",environment="prod"} 1');
    expect(body).toContain('ferry_http_request_duration_seconds_bucket{le="0.005",environment="prod",method="POST",route="/api/sync/check"} 1');
    expect(body).toContain('ferry_lock_wait_seconds_count{environment="prod",outcome="acquired"} 1');
    expect(body).toContain('ferry_lock_wait_seconds_count{environment="prod",outcome="refused"} 1');
    expect(body).toContain('ferry_sync_tasks{state="Completed",environment="prod"} 2');
    expect(body).toContain('ferry_sync_tasks{state="Queued",environment="prod"} 0');
    expect(body).toContain('ferry_deployments_total{status="succeeded",environment="prod"} 1');
    expect(body).toContain('ferry_deployments_total{status="failed",environment="prod"} 1');
    expect(body).toContain('ferry_process_cpu_user_seconds_total');
    expect(body).toMatch(/^ferry_build_info\{version="\d+\.\d+\.\d+",environment="prod"\} 1$/m);
  });

  it('serves loopback clients only when there is no token, and needs the token when there is one', async () => {
    const open = createServerMetrics({ environment: 'prod', taskStates: () => ({}) });
    expect((await scrape(open, '10.1.2.3')).status).toBe(403);
    expect((await scrape(open, '::ffff:127.0.0.1')).status).toBe(200);
    expect((await scrape(open, '::1')).status).toBe(200);
    const guarded = createServerMetrics({ environment: 'prod', token: 'metrics-token-0123456789', taskStates: () => ({}) });
    expect((await scrape(guarded, '127.0.0.1')).status).toBe(401);
    expect((await scrape(guarded, '10.1.2.3', 'Bearer wrong')).status).toBe(401);
    expect((await scrape(guarded, '10.1.2.3', 'Bearer metrics-token-0123456789')).status).toBe(200);
  });

  it("traces a task's phases as children of one deployment span, errors marked", () => {
    const { tracer, spans } = recordingTracer();
    const log = createServerMetrics({ environment: 'staging', taskStates: () => ({}), tracer }).observeLog(() => undefined);
    for (const step of ['queued', 'restoring', 'committed', 'completed']) log('info', 'task', { task: 7, step, deployment: 3, status: 'succeeded' });
    log('info', 'task', { task: 8, step: 'queued', deployment: 4 });
    log('info', 'task', { task: 8, step: 'restoring' });
    log('warn', 'task', { task: 8, step: 'failed', code: 'FERRY_E_VALIDATION' });
    expect(spans.map((s) => [s.name, s.parent ?? null, s.ended])).toEqual([
      ['ferry.deployment', null, true],
      ['queued', 'ferry.deployment', true],
      ['apply', 'ferry.deployment', true],
      ['commit', 'ferry.deployment', true],
      ['ferry.deployment', null, true],
      ['queued', 'ferry.deployment', true],
      ['apply', 'ferry.deployment', true],
    ]);
    expect(spans[0].attributes).toMatchObject({ 'ferry.environment': 'staging', 'ferry.task': 7, 'ferry.deployment': 3 });
    expect(spans[0].status).toBeUndefined();
    expect(spans[4].status).toMatchObject({ code: 2, message: 'FERRY_E_VALIDATION' });
  });

  it('is a no-op tracer unless an OpenTelemetry SDK registered a provider', () => {
    const log = createServerMetrics({ environment: 'staging', taskStates: () => ({}) }).observeLog(() => undefined);
    expect(() => log('info', 'task', { task: 1, step: 'queued' })).not.toThrow();
    expect(trace.getTracer('ferry').startSpan('x').isRecording()).toBe(false);
  });
});
