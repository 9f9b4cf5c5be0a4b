/**
 * A TCP proxy in front of a `ferry serve` instance that cuts connections on cue, to play the
 * network failures a deployment must survive: a request that never reaches the instance, an
 * answer that never reaches the client (the instance did act on the request), or an instance
 * that cannot be reached at all for a while. Cuts are resets (the client sees ECONNRESET).
 *
 * @example
 * const proxy = await startCuttingProxy(server.port);
 * proxy.cut({ request: 'POST /api/sync/packages ', drop: 'response', times: 2 });
 */
import net from 'node:net';

export interface CutRule {
  /** The start of a request line, e.g. `POST /api/sync/packages ` (note the space). */
  request: string;
  /** `request`: the instance never sees it; `response`: it does, the client never hears the answer. */
  drop: 'request' | 'response';
  /** How many matching requests to cut (default 1). */
  times?: number;
  /** After the last cut, refuse every connection (the instance is gone) until `restore()`. */
  thenBlackhole?: boolean;
}

export interface CuttingProxy {
  readonly url: string;
  cut(rule: CutRule): void;
  /** Requests cut so far, by rule request text. */
  readonly cuts: string[];
  /** Stop refusing connections. */
  restore(): void;
  close(): Promise<void>;
}

export async function startCuttingProxy(targetPort: number): Promise<CuttingProxy> {
  const rules: (CutRule & { left: number })[] = [];
  const cuts: string[] = [];
  const sockets = new Set<net.Socket>();
  let blackhole = false;

  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    if (blackhole) return void client.resetAndDestroy();
    const upstream = net.connect({ host: '127.0.0.1', port: targetPort });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    let swallowAnswer = false;
    let blackholeAfterAnswer = false;
    const cutBoth = () => {
      client.resetAndDestroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      if (blackhole) return cutBoth();
      const text = chunk.toString('latin1');
      const rule = rules.find((r) => r.left > 0 && (text.startsWith(r.request) || text.includes(`\r\n\r\n${r.request}`)));
      if (rule) {
        rule.left -= 1;
        cuts.push(`${rule.drop}: ${rule.request.trim()}`);
        const gone = rule.left === 0 && rule.thenBlackhole === true;
        if (rule.drop === 'request') {
          if (gone) blackhole = true;
          return cutBoth();
        }
        blackholeAfterAnswer = gone;
        swallowAnswer = true;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (swallowAnswer && blackholeAfterAnswer) blackhole = true;
      if (swallowAnswer || blackhole) return cutBoth();
      client.write(chunk);
    });
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    cuts,
    cut: (rule) => rules.push({ ...rule, left: rule.times ?? 1 }),
    restore: () => {
      blackhole = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
