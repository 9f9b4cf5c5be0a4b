import { describe, expect, it } from 'vitest';
import { NonceCache } from './nonce-cache.js';

describe('NonceCache', () => {
  it('refuses a nonce seen within its window and forgets it after', () => {
    const c = new NonceCache(10, 0);
    expect(c.remember('a', 1000, 0)).toBe('ok');
    expect(c.remember('a', 1000, 999)).toBe('replayed');
    expect(c.remember('a', 3000, 1000)).toBe('ok');
  });

  it('when full of live nonces refuses new ones rather than forgetting live ones', () => {
    const c = new NonceCache(2, 1_000_000);
    expect(c.remember('a', 100, 0)).toBe('ok');
    expect(c.remember('b', 200, 0)).toBe('ok');
    expect(c.remember('c', 300, 50)).toBe('full');
    expect(c.remember('a', 100, 60)).toBe('replayed');
    // Once one expires there is room again.
    expect(c.remember('c', 300, 150)).toBe('ok');
    expect(c.size).toBe(2);
  });
});
