import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { FerryError } from '../../errors/index.js';
import type { LockHolder, Store } from '../../model/index.js';
import { describeLockHolder } from '../../store/lock-holder.js';
import { isProcessAlive } from '../../store/process-alive.js';

interface Lease {
  token: string;
  holder: LockHolder;
  expiresAt: number;
  releaseStoreLock: () => Promise<void>;
  /** Deployments started under this lease (failed for the client if it vanishes). */
  deployments: Set<number>;
}

export interface LeaseLockOptions {
  store: Store;
  environment: string;
  leaseMs: number;
  clock?: () => number;
  /** Called after a lease lapsed or its holder died, with the deployments started under it. */
  onLapse?: (holder: LockHolder, deployments: number[], why: string) => Promise<void>;
}

/**
 * The environment's deployment lock as seen by remote clients: a lease that lapses unless renewed,
 * so a client killed mid-deploy frees it within one lease period. While a lease is held the
 * instance also holds the store's own lock (in the holder's name, as this process), so a local
 * `ferry deploy` on the same store waits too, and a crashed instance leaves a lock the store
 * knows is stale.
 */
export class LeaseLock {
  private current?: Lease;
  private reserving = false;
  private readonly wakers = new Set<() => void>();
  private readonly clock: () => number;
  private sweeper?: NodeJS.Timeout;

  constructor(private readonly o: LeaseLockOptions) {
    this.clock = o.clock ?? Date.now;
  }

  get leaseMs(): number {
    return this.o.leaseMs;
  }

  /** Checks for lapsed leases now and then, so an abandoned deployment is settled without waiting for the next client. */
  startSweeping(): void {
    this.sweeper = setInterval(() => void this.expire().catch(() => undefined), Math.max(200, Math.floor(this.o.leaseMs / 2)));
    this.sweeper.unref();
  }

  /** Waits up to `waitMs` for the lock; FERRY_E_LOCK naming the holder when the time runs out. */
  async acquire(holder: LockHolder, waitMs: number, signal?: AbortSignal): Promise<{ token: string; leaseMs: number }> {
    const deadline = this.clock() + Math.max(0, waitMs);
    for (;;) {
      await this.expire();
      if (!this.current && !this.reserving) {
        this.reserving = true;
        try {
          const releaseStoreLock = await this.o.store.acquireLock(proxyHolder(holder), Math.max(0, deadline - this.clock()));
          const token = randomBytes(18).toString('base64url');
          this.current = { token, holder, expiresAt: this.clock() + this.o.leaseMs, releaseStoreLock, deployments: new Set() };
          return { token, leaseMs: this.o.leaseMs };
        } finally {
          this.reserving = false;
        }
      }
      const left = deadline - this.clock();
      if (left <= 0 || signal?.aborted) {
        const who = this.current ? describeLockHolder(this.current.holder) : 'another deployer waiting for the store lock';
        throw new FerryError('FERRY_E_LOCK', `Environment ${this.o.environment} is locked by ${who}; gave up after ${waitMs} ms.`, {
          data: { environment: this.o.environment, timeoutMs: waitMs, ...(this.current ? { holder: this.current.holder } : {}) },
        });
      }
      await this.nap(Math.min(left, 250));
    }
  }

  /** Extends a lease; FERRY_E_LOCK when it already lapsed (another deployer may hold the lock now). */
  async renew(token: string): Promise<{ leaseMs: number }> {
    await this.expire();
    this.assertCurrent(token);
    (this.current as Lease).expiresAt = this.clock() + this.o.leaseMs;
    return { leaseMs: this.o.leaseMs };
  }

  /** Releases a lease; releasing one that lapsed or was taken over is a no-op. */
  async release(token: string): Promise<void> {
    if (this.current?.token !== token) return;
    await this.drop('released');
  }

  /** FERRY_E_LOCK unless `token` is the lease in force. */
  assertCurrent(token: string): void {
    if (this.current?.token !== token || this.current.expiresAt <= this.clock()) {
      throw new FerryError('FERRY_E_LOCK', `The deployment lock on ${this.o.environment} was lost: the lease lapsed (not renewed within ${Math.round(this.o.leaseMs / 1000)} s) and another deployer may hold it now. Nothing was applied.`, {
        hint: 'Deploy again; keep the client running and connected until the deployment ends.',
        data: { environment: this.o.environment },
      });
    }
  }

  /** Ties a deployment to the lease in force, if `token` is it. */
  attach(token: string | undefined, deploymentId: number): void {
    if (token && this.current?.token === token) this.current.deployments.add(deploymentId);
  }

  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    if (this.current) await this.drop('instance stopping', false);
  }

  /** Ends a lapsed lease or one whose holder process is gone (same host, dead pid). */
  private async expire(): Promise<void> {
    const c = this.current;
    if (!c) return;
    if (c.expiresAt <= this.clock()) await this.drop(`lease lapsed (not renewed within ${Math.round(this.o.leaseMs / 1000)} s)`);
    else if (c.holder.host === hostname() && !isProcessAlive(c.holder.pid)) await this.drop(`holder process ${c.holder.pid} is gone`);
  }

  private async drop(why: string, notify = true): Promise<void> {
    const c = this.current;
    if (!c) return;
    this.current = undefined;
    await c.releaseStoreLock().catch(() => undefined);
    if (notify && this.o.onLapse && c.deployments.size) await this.o.onLapse(c.holder, [...c.deployments], why).catch(() => undefined);
    for (const wake of [...this.wakers]) wake();
  }

  private nap(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakers.add(wake);
    });
  }
}

/**
 * How a remote holder is written into the store's own lock: as this instance's process (so a
 * crashed instance leaves a lock the store recognises as stale), naming the remote client.
 */
function proxyHolder(h: LockHolder): LockHolder {
  return {
    pid: process.pid,
    host: hostname(),
    actor: h.actor,
    since: h.since,
    purpose: `${h.purpose} (remote client pid ${h.pid} on ${h.host}, via ferry serve)`,
  };
}
