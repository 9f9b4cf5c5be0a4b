/**
 * Durability settings: the SQLite store commits with `synchronous=NORMAL` unless the environment
 * is `durable: true` (or `ferry serve --durable`), then FULL; `ferry status` shows the level and
 * where the store file is, marking one outside the repository.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEnvironment, openRepository } from '../../src/api/context.js';
import { getEnvironment } from '../../src/config/index.js';
import { openStore, SqliteStore } from '../../src/store/index.js';
import { ferry, makeSampleRepo } from '../support/sample-repo.js';
import { removeGitRepos } from '../support/gitdir.js';

afterAll(removeGitRepos);

const level = (store: unknown) => (store as SqliteStore).synchronousLevel();

describe('synchronous level of the SQLite store', () => {
  it('NORMAL by default, FULL when durable (SqliteStore.open and openStore)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferry-durable-'));
    try {
      const normal = SqliteStore.open(join(dir, 'a.db'));
      const full = SqliteStore.open(join(dir, 'b.db'), { durable: true });
      const viaUrl = await openStore('sqlite:c.db', { cwd: dir, durable: true });
      expect([normal.synchronousLevel(), full.synchronousLevel(), level(viaUrl)]).toEqual(['NORMAL', 'FULL', 'FULL']);
      await Promise.all([normal.close(), full.close(), viaUrl.close()]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('environments[].durable: true opens the environment FULL, and status says so', async () => {
    const repo = makeSampleRepo({
      config: ['folder: content', 'environments:', '  - name: dev', '    store: sqlite:.ferry/dev.db', '  - name: prod', '    from: dev', '    store: sqlite:.ferry/prod.db', '    durable: true', ''].join('\n'),
    });
    const ctx = { cwd: repo.dir, env: {}, now: () => new Date('2026-01-01T00:00:00Z') };
    const rc = await openRepository(ctx);
    const dev = await openEnvironment(rc, getEnvironment(rc.repo.config, 'dev'));
    const prod = await openEnvironment(rc, getEnvironment(rc.repo.config, 'prod'));
    expect([level(dev.store), level(prod.store)]).toEqual(['NORMAL', 'FULL']);
    await Promise.all([dev.store.close(), prod.store.close()]);
    const text = await ferry(repo.dir, ['status']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`store:    ${join(repo.dir, '.ferry/dev.db')}, synchronous=NORMAL\n`);
    expect(text.stdout).toContain(`store:    ${join(repo.dir, '.ferry/prod.db')}, synchronous=FULL (durable)\n`);
    expect(text.stdout).not.toContain('OUTSIDE');
  });
});

describe('a store file outside the repository', () => {
  it('is allowed, and `ferry status` prints where it is (text and JSON)', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'ferry-elsewhere-'));
    try {
      const repo = makeSampleRepo();
      writeFileSync(join(repo.dir, 'repository.config.yaml'), ['folder: content', 'environments:', '  - name: dev', `    store: sqlite:../${elsewhere.split('/').pop()}/dev.db`, ''].join('\n'));
      const deploy = await ferry(repo.dir, ['deploy', '--env', 'dev', '--source', 'working-tree']);
      expect(deploy.code, deploy.stderr).toBe(0);
      const text = await ferry(repo.dir, ['status']);
      expect(text.stdout).toContain(`store:    ${join(elsewhere, 'dev.db')} (OUTSIDE the repository), synchronous=NORMAL`);
      const json = JSON.parse((await ferry(repo.dir, ['status', '--json'])).stdout);
      expect(json.environments[0].storage).toEqual({ file: join(elsewhere, 'dev.db'), outsideRepository: true, synchronous: 'NORMAL' });
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
