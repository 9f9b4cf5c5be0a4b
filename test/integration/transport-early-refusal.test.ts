/**
 * `ferry serve` refuses a sync request from its headers, before reading its body, and bounds body
 * reading by time as well as by size. Raw sockets: the tests decide exactly which bytes are sent
 * and when, and the answer must come while the body has not been sent.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signRequest } from '../../src/transport/signing.js';
import { removeGitRepos } from '../support/gitdir.js';
import { TEST_SECRET, rawRequest, startServe, stopAllServers, type ServeHandle } from '../support/serve.js';

/** A raw HTTP/1.1 connection: send bytes when the test says so, collect everything answered. */
interface RawConnection {
  write(bytes: string | Buffer): Promise<boolean>;
  /** Resolves with what was received once it contains a complete HTTP response head and body. */
  response(): Promise<{ status: number; head: string; json: any }>;
  /** Resolves when the server closed the connection. */
  closed: Promise<void>;
  /** Body bytes the test managed to hand to the kernel before the connection broke. */
  bytesWritten(): number;
  destroy(): void;
}

function connect(url: string): Promise<RawConnection> {
  const { hostname, port } = new URL(url);
  return new Promise((resolveConnection, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port) }, () => {
      let received = Buffer.alloc(0);
      const waiters = new Set<() => void>();
      socket.on('data', (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        for (const w of [...waiters]) w();
      });
      socket.on('error', () => undefined);
      const closed = new Promise<void>((r) => socket.once('close', () => r()));
      closed.then(() => [...waiters].forEach((w) => w()));
      resolveConnection({
        write: (bytes) => new Promise((r) => (socket.destroyed ? r(false) : socket.write(bytes, (e) => r(!e)))),
        response: () =>
          new Promise((r, j) => {
            const check = () => {
              const text = received.toString('utf8');
              const end = text.indexOf('\r\n\r\n');
              if (end !== -1) {
                const head = text.slice(0, end);
                const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
                const body = received.subarray(Buffer.byteLength(text.slice(0, end + 4)));
                if (body.byteLength >= length) {
                  waiters.delete(check);
                  return r({ status: Number(head.split(' ')[1]), head, json: JSON.parse(body.subarray(0, length).toString('utf8')) });
                }
              }
              if (socket.destroyed) {
                waiters.delete(check);
                j(new Error(`connection closed before a full response; received: ${JSON.stringify(text)}`));
              }
            };
            waiters.add(check);
            check();
          }),
        closed,
        bytesWritten: () => socket.bytesWritten,
        destroy: () => socket.destroy(),
      });
    });
    socket.once('error', reject);
  });
}

/** Request head for POST /api/sync/deployments declaring `length` body bytes; signed when `secret` is given. */
function head(length: number, sign?: { secret: string; timestamp?: number; nonce?: string; bodySha256?: string }, method = 'POST', path = '/api/sync/deployments'): string {
  const lines = [`${method} ${path} HTTP/1.1`, 'host: 127.0.0.1', 'content-type: application/json', `content-length: ${length}`];
  if (sign) {
    const timestamp = String(sign.timestamp ?? Date.now());
    const nonce = sign.nonce ?? randomBytes(16).toString('hex');
    const bodySha256 = sign.bodySha256 ?? 'a'.repeat(64);
    const signature = signRequest(sign.secret, { method, path, query: '', timestamp, nonce, bodySha256 });
    lines.push(`x-ferry-timestamp: ${timestamp}`, `x-ferry-nonce: ${nonce}`, `x-ferry-content-sha256: ${bodySha256}`, `x-ferry-signature: ${signature}`);
  }
  return `${lines.join('\r\n')}\r\n\r\n`;
}

const BIG = 64 * 1024 * 1024;

describe('refuses from the headers, before the body arrives', () => {
  let server: ServeHandle;
  beforeAll(async () => {
    server = await startServe({ env: 'staging', args: ['--body-timeout', '1s'] });
  });
  afterAll(async () => {
    await stopAllServers();
    removeGitRepos();
  });

  const refusals: { name: string; head: () => string; message: string }[] = [
    { name: 'unsigned', head: () => head(BIG), message: 'Unsigned request' },
    { name: 'signed with another secret', head: () => head(BIG, { secret: 'another-secret-of-sufficient-length-000' }), message: 'Signature does not match' },
    { name: 'a timestamp outside the window', head: () => head(BIG, { secret: TEST_SECRET, timestamp: Date.now() - 3_600_000 }), message: 'behind the instance clock' },
  ];
  for (const r of refusals) {
    it(`${r.name}: 401 while the 64 MB body is still unsent, then the connection is cut after a little of it`, async () => {
      const c = await connect(server.url);
      try {
        await c.write(r.head());
        const answer = await c.response();
        expect(answer.status).toBe(401);
        expect(answer.json.error).toMatchObject({ code: 'FERRY_E_AUTH', message: expect.stringContaining(r.message) });
        // Now send the body: the instance reads at most a little of it, then closes.
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let sent = 0;
        while (sent < 16 * 1024 * 1024 && (await c.write(chunk))) sent += chunk.byteLength;
        await c.closed;
        expect(c.bytesWritten()).toBeLessThan(16 * 1024 * 1024);
      } finally {
        c.destroy();
      }
    });
  }

  it('a replayed nonce: refused from the headers of the second request', async () => {
    const nonce = randomBytes(16).toString('hex');
    const timestamp = Date.now();
    const body = '{}';
    const bodySha256 = (await import('node:crypto')).createHash('sha256').update(body).digest('hex');
    const first = await connect(server.url);
    await first.write(head(body.length, { secret: TEST_SECRET, timestamp, nonce, bodySha256 }) + body);
    expect((await first.response()).status).not.toBe(401);
    first.destroy();
    const replay = await connect(server.url);
    try {
      await replay.write(head(BIG, { secret: TEST_SECRET, timestamp, nonce, bodySha256 }));
      const answer = await replay.response();
      expect(answer.status).toBe(401);
      expect(answer.json.error.message).toContain('Nonce already used');
    } finally {
      replay.destroy();
    }
  });

  it('a signed body that drips in slower than --body-timeout: 408 FERRY_E_TIMEOUT, connection closed, nothing stored', async () => {
    const before = server.logs.length;
    const deployments = async () => (await rawRequest(server.url, { method: 'GET', target: '/api/sync/deployments' })).json;
    const recorded = await deployments();
    const c = await connect(server.url);
    try {
      await c.write(head(1000, { secret: TEST_SECRET }));
      await c.write('{"environment":');
      // Nothing more is sent: only the body timeout can end this request.
      const answer = await c.response();
      expect(answer.status).toBe(408);
      expect(answer.json.error).toMatchObject({ code: 'FERRY_E_TIMEOUT', message: expect.stringContaining('did not arrive within 1 s') });
      expect(answer.head.toLowerCase()).toContain('connection: close');
      await c.closed;
    } finally {
      c.destroy();
    }
    const line = await server.waitForLog((l) => l.msg === 'request' && l.status === 408 && server.logs.indexOf(l) >= before);
    expect(line).toMatchObject({ method: 'POST', path: '/api/sync/deployments' });
    expect(await deployments()).toEqual(recorded);
  });

  it('a signed request refused while its body still drips in: the body timeout ends the drain with 408, and the instance stays up', async () => {
    const c = await connect(server.url);
    try {
      // GET with a body is refused before reading it; the answer waits for the (signed) client's body, bounded by the timeout.
      await c.write(head(1000, { secret: TEST_SECRET }, 'GET', '/api/sync/state'));
      await c.write('x');
      const answer = await c.response();
      expect(answer.status).toBe(408);
      await c.closed;
    } finally {
      c.destroy();
    }
    const health = await connect(server.url);
    try {
      await health.write('GET /healthz HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n');
      expect((await health.response()).status).toBe(200);
    } finally {
      health.destroy();
    }
  });
});
