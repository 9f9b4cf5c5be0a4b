import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { FerryError } from '../../errors/index.js';
import type { LockHolder, Store } from '../../model/index.js';
import { describeLockHolder } from '../../store/lock-holder.js';
import { isProcessAlive } from '../../store/process-alive.js';
import { MemoryLeaseRecords, type LeaseRecord, type LeaseRecords } from './lease-records.js';

/** The store lock this process holds for a lease it granted (or took over). */
interface HeldLock {
  token: string;
  releaseStoreLock: () => Promise<void>;
}

export interface LeaseLockOptions {
  store: Store;
  environment: string;
  leaseMs: number;
  clock?: () => number;
  /** Where the lease in force is recorded: in memory (one process), or shared by replicas. */
  records?: LeaseRecords;
  /** Called after a lease lapsed or its holder died, with the deployments started under it. */
  onLapse?: (holder: LockHolder, deployments: number[], why: string) => Promise<void>;
}

/**
 * The environment's deployment lock as seen by remote clients: a lease that lapses unless renewed,
 * so a client killed mid-deploy frees it within one lease period. While a lease is held the
 * granting instance also holds the store's own lock (in the holder's name, as this process), so a
 * local `ferry deploy` on the same store waits too, and a crashed instance leaves a lock the store
 * knows is stale.
 *
 * The lease itself (token, holder, expiry, deployments) is a record every replica reads
 * (`LeaseRecords`; in the database for PostgreSQL stores), so a client may renew, post packages
 * and release through any replica. The replica holding the store lock gives it up when the record
 * ends; a replica renewing a lease whose granter died takes the store lock over, or reports the
 * lease lost when someone else took it meanwhile.
 */
export class LeaseLock {
  private held?: HeldLock;
  private reserving = false;
  private readonly wakers = new Set<() => void>();
  private readonly clock: () => number;
  private readonly records: LeaseRecords;
  private sweeper?: NodeJS.Timeout;

  constructor(private readonly o: LeaseLockOptions) {
    this.clock = o.clock ?? Date.now;
    this.records = o.records ?? new MemoryLeaseRecords();
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
      const current = await this.records.get();
      const live = current && current.expiresAt > this.clock() ? current : undefined;
      if (!live && !this.reserving) {
        this.reserving = true;
        try {
          const releaseStoreLock = await this.o.store.acquireLock(proxyHolder(holder), Math.max(0, deadline - this.clock()));
          // A lapsed lease of a replica that went away: settle its deployments before replacing it.
          if (current) await this.lapsed(current, `lease lapsed (not renewed within ${Math.round(this.o.leaseMs / 1000)} s)`);
          const token = randomBytes(18).toString('base64url');
          try {
            await this.records.put({ token, holder, expiresAt: this.clock() + this.o.leaseMs, deployments: [] });
          } catch (e) {
            await releaseStoreLock().catch(() => undefined);
            throw e;
          }
          // Only once recorded: a sweep in between would take an unrecorded lock for a released one.
          this.held = { token, releaseStoreLock };
          return { token, leaseMs: this.o.leaseMs };
        } finally {
          this.reserving = false;
        }
      }
      const left = deadline - this.clock();
      if (left <= 0 || signal?.aborted) {
        const who = live ? describeLockHolder(live.holder) : 'another deployer waiting for the store lock';
        throw new FerryError('FERRY_E_LOCK', `Environment ${this.o.environment} is locked by ${who}; gave up after ${waitMs} ms.`, {
          data: { environment: this.o.environment, timeoutMs: waitMs, ...(live ? { holder: live.holder } : {}) },
        });
      }
      await this.nap(Math.min(left, 250));
    }
  }

  /** Extends a lease; FERRY_E_LOCK when it already lapsed (another deployer may hold the lock now). */
  async renew(token: string): Promise<{ leaseMs: number }> {
    await this.expire();
    const rec = await this.assertCurrent(token);
    if (this.held?.token !== token) await this.adoptStoreLock(rec);
    if (!(await this.records.extend(token, this.clock() + this.o.leaseMs))) throw this.lost();
    return { leaseMs: this.o.leaseMs };
  }

  /** Releases a lease; releasing one that lapsed or was taken over is a no-op. */
  async release(token: string): Promise<void> {
    const removed = await this.records.remove(token);
    if (this.held?.token === token) await this.dropHeld();
    // The granting replica, if another one, gives up its store lock when it next sweeps.
    if (removed) this.wake();
  }

  /** FERRY_E_LOCK unless `token` is the lease in force; returns its record. */
  async assertCurrent(token: string): Promise<LeaseRecord> {
    const rec = await this.records.get();
    if (rec?.token !== token || rec.expiresAt <= this.clock()) throw this.lost();
    return rec;
  }

  /** Ties a deployment to the lease in force, if `token` is it. */
  async attach(token: string | undefined, deploymentId: number): Promise<void> {
    if (token) await this.records.attach(token, deploymentId);
  }

  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    if (this.held) {
      await this.records.remove(this.held.token);
      await this.dropHeld();
    }
  }

  /**
   * Ends what this process holds when its lease ended (lapsed, released through another replica,
   * holder process gone), and a lapsed lease of any replica.
   */
  private async expire(): Promise<void> {
    const rec = await this.records.get();
    const now = this.clock();
    if (this.held && rec?.token !== this.held.token) {
      // Released (or replaced) through another replica.
      await this.dropHeld();
      return;
    }
    if (!rec) return;
    let why: string | undefined;
    if (rec.expiresAt <= now) why = `lease lapsed (not renewed within ${Math.round(this.o.leaseMs / 1000)} s)`;
    else if (rec.holder.host === hostname() && !isProcessAlive(rec.holder.pid)) why = `holder process ${rec.holder.pid} is gone`;
    if (!why) return;
    // Only the replica holding the store lock settles it (another replica's acquire settles one
    // whose granter went away).
    if (this.held?.token !== rec.token) return;
    if (!(await this.records.remove(rec.token))) return;
    await this.dropHeld();
    await this.lapsed(rec, why);
  }

  private async lapsed(rec: LeaseRecord, why: string): Promise<void> {
    if (this.o.onLapse && rec.deployments.length) await this.o.onLapse(rec.holder, rec.deployments, why).catch(() => undefined);
  }

  /**
   * A renewal through a replica that does not hold the store lock: when the granter holds it,
   * nothing to do; when nobody does (the granter died), take it; when someone else does, the
   * lease is lost.
   */
  private async adoptStoreLock(rec: LeaseRecord): Promise<void> {
    try {
      const releaseStoreLock = await this.o.store.acquireLock(proxyHolder(rec.holder), 0);
      if (this.held) await this.dropHeld();
      this.held = { token: rec.token, releaseStoreLock };
    } catch (e) {
      if (!(e instanceof FerryError) || e.code !== 'FERRY_E_LOCK') throw e;
      const holder = (e.data as { holder?: LockHolder } | undefined)?.holder;
      const proxy = proxyHolder(rec.holder);
      const granterHoldsIt = holder !== undefined && holder.actor === proxy.actor && holder.since === proxy.since && holder.purpose === proxy.purpose;
      if (!granterHoldsIt) throw this.lost();
    }
  }

  private async dropHeld(): Promise<void> {
    const h = this.held;
    if (!h) return;
    this.held = undefined;
    await h.releaseStoreLock().catch(() => undefined);
    this.wake();
  }

  private lost(): FerryError {
    return new FerryError('FERRY_E_LOCK', `The deployment lock on ${this.o.environment} was lost: the lease lapsed (not renewed within ${Math.round(this.o.leaseMs / 1000)} s) and another deployer may hold it now. Nothing was applied.`, {
      hint: 'Deploy again; keep the client running and connected until the deployment ends.',
      data: { environment: this.o.environment },
    });
  }

  private wake(): void {
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
