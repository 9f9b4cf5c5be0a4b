import type { LockHolder } from '../../model/index.js';

/** The deployment lease in force for an environment. */
export interface LeaseRecord {
  token: string;
  /** The remote client that holds it. */
  holder: LockHolder;
  /** Wall-clock ms (replicas' clocks must agree within a fraction of the lease: NTP). */
  expiresAt: number;
  /** Deployments started under it (failed for the client if the lease lapses). */
  deployments: number[];
}

/** Where the lease in force is kept: one record per environment. */
export interface LeaseRecords {
  get(): Promise<LeaseRecord | undefined>;
  /** Records a new lease, replacing any (the caller holds the store lock). */
  put(r: LeaseRecord): Promise<void>;
  /** Moves the expiry of the lease `token`; false when it is not the lease in force. */
  extend(token: string, expiresAt: number): Promise<boolean>;
  attach(token: string, deploymentId: number): Promise<void>;
  /** Deletes the lease `token`; false when it was not the lease in force. */
  remove(token: string): Promise<boolean>;
}

/** In this process only: for an instance on a SQLite store (one process serves it). */
export class MemoryLeaseRecords implements LeaseRecords {
  private current?: LeaseRecord;

  async get(): Promise<LeaseRecord | undefined> {
    return this.current && { ...this.current, deployments: [...this.current.deployments] };
  }

  async put(r: LeaseRecord): Promise<void> {
    this.current = { ...r, deployments: [...r.deployments] };
  }

  async extend(token: string, expiresAt: number): Promise<boolean> {
    if (this.current?.token !== token) return false;
    this.current.expiresAt = expiresAt;
    return true;
  }

  async attach(token: string, deploymentId: number): Promise<void> {
    if (this.current?.token === token && !this.current.deployments.includes(deploymentId)) this.current.deployments.push(deploymentId);
  }

  async remove(token: string): Promise<boolean> {
    if (this.current?.token !== token) return false;
    this.current = undefined;
    return true;
  }
}
