/**
 * Nonces seen within the replay window. A nonce is remembered until the request's timestamp
 * leaves the accepted window, so a replay is refused for as long as it would otherwise pass the
 * timestamp check. Bounded: when full of unexpired nonces the cache refuses new ones instead of
 * forgetting live ones (forgetting would re-open the replay window).
 */
export class NonceCache {
  private readonly seen = new Map<string, number>();
  /** Insertion order equals expiry order only roughly, so pruning scans; it runs rarely. */
  private nextPruneAt = 0;

  constructor(
    private readonly capacity = 200_000,
    private readonly pruneEveryMs = 10_000,
  ) {}

  get size(): number {
    return this.seen.size;
  }

  /**
   * Remembers `nonce` until `expiresAt` (ms). Returns 'replayed' when it is already known and
   * unexpired, 'full' when the cache cannot take it, else 'ok'.
   */
  remember(nonce: string, expiresAt: number, now: number): 'ok' | 'replayed' | 'full' {
    if (now >= this.nextPruneAt || this.seen.size >= this.capacity) this.prune(now);
    const known = this.seen.get(nonce);
    if (known !== undefined && known > now) return 'replayed';
    if (known === undefined && this.seen.size >= this.capacity) return 'full';
    this.seen.set(nonce, expiresAt);
    return 'ok';
  }

  private prune(now: number): void {
    this.nextPruneAt = now + this.pruneEveryMs;
    for (const [nonce, expiresAt] of this.seen) if (expiresAt <= now) this.seen.delete(nonce);
  }
}
