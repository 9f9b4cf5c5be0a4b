import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TaskDb } from './task-db.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function file(): string {
  const d = mkdtempSync(join(tmpdir(), 'ferry-taskdb-'));
  dirs.push(d);
  return join(d, 'tasks.db');
}

describe('TaskDb nonces', () => {
  it('refuses a replay until the nonce expires, also after reopening the file', async () => {
    const f = file();
    const db = new TaskDb(f, { environment: 'prod' });
    expect(await db.rememberNonce('n1', 2_000, 1_000)).toBe('ok');
    expect(await db.rememberNonce('n1', 2_500, 1_500)).toBe('replayed');
    await db.close();
    const again = new TaskDb(f, { environment: 'prod' });
    expect(await again.rememberNonce('n1', 3_000, 1_900)).toBe('replayed');
    // Expired: the window for a replay is closed anyway (the timestamp check refuses it).
    expect(await again.rememberNonce('n1', 4_000, 2_000)).toBe('ok');
    await again.close();
  });

  it('when full of live nonces refuses new ones instead of forgetting live ones', async () => {
    const db = new TaskDb(file(), { environment: 'prod' }, 2);
    expect(await db.rememberNonce('a', 10_000, 1_000)).toBe('ok');
    expect(await db.rememberNonce('b', 10_000, 1_000)).toBe('ok');
    expect(await db.rememberNonce('c', 10_000, 1_000)).toBe('full');
    expect(await db.rememberNonce('a', 10_000, 1_000)).toBe('replayed');
    // Once the old ones expire there is room again.
    expect(await db.rememberNonce('c', 20_000, 10_000)).toBe('ok');
    await db.close();
  });
});
