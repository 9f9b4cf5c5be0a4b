import type Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { FerryError } from '../../errors/index.js';
import type { LockHolder } from '../../model/index.js';
import { describeLockHolder, parseLockHolder } from '../lock-holder.js';
import { isProcessAlive } from '../process-alive.js';
import { guardStore } from './guard.js';
import type { Statements } from './statements.js';

const DEPLOY_LOCK = 'deploy';

/**
 * The environment's deployment lock, as a row of the store's `locks` table: taken in an immediate
 * transaction, taken over when its holder is a dead process on this host, released by token.
 */
export class SqliteDeployLock {
  private readonly held = new Set<string>();
  private closed = false;

  constructor(
    private readonly db: Database.Database,
    private readonly s: Statements,
    private readonly file: string,
    private readonly now: () => Date,
    private readonly pollMs: number,
  ) {}

  /** See Store.acquireLock. */
  async acquire(holder: LockHolder, timeoutMs: number): Promise<() => Promise<void>> {
    const token = randomBytes(16).toString('hex');
    const deadline = performance.now() + Math.max(0, timeoutMs);
    for (;;) {
      const current = guardStore(this.file, 'take the deployment lock', () => this.tryLock(holder, token));
      if (current === undefined) {
        this.held.add(token);
        return async () => this.release(token);
      }
      const left = deadline - performance.now();
      if (left <= 0) {
        const who = current === 'busy' ? 'another connection writing to the store' : describeLockHolder(current);
        throw new FerryError('FERRY_E_LOCK', `The environment store ${this.file} is locked by ${who}; gave up after ${timeoutMs} ms.`, {
          data: { path: this.file, timeoutMs, ...(current === 'busy' ? {} : { holder: current }) },
        });
      }
      await sleep(Math.min(this.pollMs, left));
    }
  }

  /** Releases what this connection holds; a release function called later does nothing. */
  close(): void {
    for (const token of this.held) this.release(token);
    this.closed = true;
  }

  /** One attempt: undefined when the lock is now ours, else who holds it ('busy': the database was). */
  private tryLock(holder: LockHolder, token: string): LockHolder | 'busy' | undefined {
    try {
      return this.db
        .transaction((): LockHolder | undefined => {
          const row = this.s.getLock.get(DEPLOY_LOCK) as { holder: string } | undefined;
          if (row) {
            const current = parseLockHolder(row.holder);
            const stale = current.host === hostname() && !isProcessAlive(current.pid);
            if (!stale) return current;
          }
          this.s.putLock.run(DEPLOY_LOCK, JSON.stringify(holder), token, this.now().toISOString());
          return undefined;
        })
        .immediate();
    } catch (e) {
      if ((e as { code?: string }).code?.startsWith('SQLITE_BUSY')) return 'busy';
      throw e;
    }
  }

  private release(token: string): void {
    this.held.delete(token);
    if (this.closed) return;
    guardStore(this.file, 'release the deployment lock', () => this.s.releaseLock.run(DEPLOY_LOCK, token));
  }
}
