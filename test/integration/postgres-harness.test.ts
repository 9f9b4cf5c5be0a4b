import { describe, expect, it } from 'vitest';
import { freshPostgresUrl, hasPostgres, sqlOn } from '../support/postgres.js';

describe.skipIf(!hasPostgres())('the test PostgreSQL server', () => {
  it('gives each caller its own empty database', async () => {
    const a = await freshPostgresUrl();
    const b = await freshPostgresUrl();
    expect(a).not.toBe(b);
    await sqlOn(a, 'CREATE TABLE t (x int)');
    const inB = await sqlOn<{ n: string }>(b, "SELECT count(*) AS n FROM pg_tables WHERE tablename = 't'");
    expect(inB[0].n).toBe('0');
    const [v] = await sqlOn<{ server_version_num: string }>(a, 'SHOW server_version_num');
    expect(Number(v.server_version_num)).toBeGreaterThanOrEqual(130000);
  });
});
