import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContentItem, StoredObject } from '../../src/model/index.js';
import { SqliteStore } from '../../src/store/index.js';
import { RemoteStore } from '../../src/transport/client/remote-store.js';
import { removeGitRepos, type GitRepo } from '../support/gitdir.js';
import { TEST_SECRET, makeContentRepo, runFerry, startServe, stopAllServers, type LogLine, type ServeHandle } from '../support/serve.js';

/** Remote environments behave as local ones: two real instances (staging, prod) behind dev. */
describe('remote environments over ferry serve', () => {
  let repo: GitRepo;
  let staging: ServeHandle;
  let prod: ServeHandle;
  let vars: Record<string, string>;
  const ferry = (...args: string[]) => runFerry(args, { cwd: repo.dir, env: vars });
  const blobPuts = (s: ServeHandle, from = 0) => s.logs.slice(from).filter((l) => l.msg === 'request' && l.method === 'PUT' && String(l.path).startsWith('/api/sync/blobs/'));
  const objectsOf = (list: StoredObject[]) => list.map((o) => ({ key: o.key, path: o.path, sourceHash: o.sourceHash, object: o.object }));

  beforeAll(async () => {
    repo = makeContentRepo();
    [staging, prod] = await Promise.all([startServe({ env: 'staging' }), startServe({ env: 'prod' })]);
    vars = { FERRY_STORE_STAGING: staging.url, FERRY_STORE_PROD: prod.url };
  });
  afterAll(async () => {
    await stopAllServers();
    removeGitRepos();
  });

  it('deploys to dev and promotes across two instances; each instance holds exactly what dev holds', async () => {
    expect((await ferry('deploy', '--env', 'dev')).code).toBe(0);
    const toStaging = await ferry('promote', 'dev', 'staging');
    expect(toStaging.stderr).toBe('');
    expect(toStaging.code).toBe(0);
    expect(toStaging.stdout).toMatch(/Deployed staging at [0-9a-f]{10} as deployment #1: 74 created/);
    const toProd = await ferry('promote', 'staging', 'prod');
    expect(toProd.code).toBe(0);

    const status = JSON.parse((await ferry('status', '--json')).stdout) as { environments: { name: string; store: string; deployed?: { toCommit: string } }[] };
    const byName = new Map(status.environments.map((e) => [e.name, e]));
    for (const env of ['dev', 'staging', 'prod']) expect(byName.get(env)?.deployed?.toCommit).toBe(repo.head());
    expect(byName.get('prod')?.store).toBe(prod.url);

    const dev = SqliteStore.open(join(repo.dir, '.ferry', 'dev.db'));
    const remote = await RemoteStore.open({ url: prod.url, secret: TEST_SECRET });
    try {
      const devObjects = objectsOf(await dev.listObjects());
      expect(devObjects).toHaveLength(74);
      expect(objectsOf(await remote.listObjects())).toEqual(devObjects);
      // The instance's own file holds it, not a cache on the client.
      const onDisk = SqliteStore.open(prod.storeFile);
      expect(objectsOf(await onDisk.listObjects())).toEqual(devObjects);
      await onDisk.close();

      const [task] = await remote.tasks();
      expect(task).toMatchObject({ id: 1, status: 'Completed', deploymentId: 1, counts: { create: 74, publish: 72 } });
      expect(task.writes).toBe(74);
      expect(task.deployment).toMatchObject({ id: 1, status: 'succeeded', toCommit: repo.head(), message: 'promote staging → prod', actor: 'transport-test' });
      expect(Date.parse(task.finishedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(task.receivedAt));
    } finally {
      await dev.close();
      await remote.close();
    }

    const history = JSON.parse((await ferry('history', '--env', 'prod', '--json')).stdout) as { deployments: { id: number; status: string; message?: string }[] };
    expect(history.deployments).toEqual([expect.objectContaining({ id: 1, status: 'succeeded', message: 'promote staging → prod' })]);
    // Every asset binary crossed once per instance.
    expect(blobPuts(staging).filter((l) => l.blob === 'stored')).toHaveLength(6);
    expect(blobPuts(prod).filter((l) => l.blob === 'stored')).toHaveLength(6);
  });

  it('pull writes the instance content as the canonical files git has, then shows drift made on the instance; it never deploys', async () => {
    const pulled = await ferry('pull', '--from', 'prod');
    expect(pulled.code).toBe(0);
    expect(pulled.stdout).toContain('0 written, 80 unchanged, 0 removed');
    expect(repo.git('status', '--porcelain')).toBe('');

    // Someone edits prod by hand, outside Ferry.
    const file = SqliteStore.open(prod.storeFile);
    const item = (await file.listObjects(['contentItem'])).find((o) => o.codeName === 'grind-size')?.object as ContentItem;
    await file.writeObjectOutsideFerry({ ...item, variants: { ...item.variants, 'en-US': { ...item.variants['en-US'], displayName: 'Grind size (edited on prod)' } } });
    await file.close();

    const again = await ferry('pull', '--from', 'prod');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('wrote   content/items/article/grind-size.yaml');
    expect(repo.git('status', '--porcelain')).toBe(' M content/items/article/grind-size.yaml');
    expect(repo.git('diff')).toContain('+    displayName: Grind size (edited on prod)');
    const diff = await ferry('diff', 'HEAD', '--source', 'working-tree', '--format', 'json');
    expect(diff.stdout).toContain('grind-size');
    expect(diff.stdout).toContain('Grind size (edited on prod)');

    const status = JSON.parse((await ferry('status', '--env', 'prod', '--drift', '--json')).stdout) as { environments: { drift: { changed: { codeName: string }[] } }[] };
    expect(status.environments[0].drift.changed.map((d) => d.codeName)).toEqual(['grind-size']);
    const history = JSON.parse((await ferry('history', '--env', 'prod', '--json')).stdout) as { deployments: unknown[] };
    expect(history.deployments).toHaveLength(1);
    repo.git('checkout', '--', '.');
  });

  it('uploads only the blobs an instance lacks: a second promotion sends none', async () => {
    const marks = { staging: staging.logs.length, prod: prod.logs.length };
    const asset = 'content/assets/photos/cafe-interior.yaml';
    const item = 'content/items/article/grind-size.yaml';
    repo.commit(
      {
        [asset]: readFileSync(join(repo.dir, asset), 'utf8').replace('title: The café at dusk', 'title: The café at night'),
        [item]: readFileSync(join(repo.dir, item), 'utf8').replace('publishDate: 2024-09-15', 'publishDate: 2024-09-16'),
      },
      'retitle a photo, redate an article',
    );
    expect((await ferry('deploy', '--env', 'dev')).code).toBe(0);
    const plan = await ferry('plan', '--env', 'staging', '--detailed-exitcode');
    expect(plan.code).toBe(2);
    expect(plan.stdout).toMatch(/update\s+asset cafe-interior/);
    expect((await ferry('promote', 'dev', 'staging')).code).toBe(0);
    const toProd = await ferry('promote', 'staging', 'prod');
    expect(toProd.code).toBe(0);
    expect(toProd.stdout).toMatch(/2 updated/);

    for (const [s, from] of [[staging, marks.staging], [prod, marks.prod]] as const) {
      const since = s.logs.slice(from);
      expect(since.filter((l: LogLine) => l.method === 'HEAD' && String(l.path).startsWith('/api/sync/blobs/')).length).toBeGreaterThan(0);
      expect(blobPuts(s, from)).toEqual([]);
    }
    // Cost follows the change over HTTP too: staging (no drift) was planned from the tree diff,
    // looking the changed objects up by code name, never pulling its whole hash index (GET /state
    // without objects=0). Prod drifted in the test before, so its plan compared the full index.
    const calls = (s: ServeHandle, from: number, method: string, path: string) =>
      s.logs.slice(from).filter((l: LogLine) => l.msg === 'request' && l.method === method && l.path === path);
    expect(calls(staging, marks.staging, 'POST', '/api/sync/objects/by-code-name').length).toBeGreaterThan(0);
    expect(calls(staging, marks.staging, 'GET', '/api/sync/state').filter((l) => l.query !== 'objects=0')).toEqual([]);
    expect(calls(prod, marks.prod, 'GET', '/api/sync/state').filter((l) => l.query !== 'objects=0')).toHaveLength(1);
  });

  it('plans, reports and rolls back a remote environment like a local one', async () => {
    const first = repo.revParse('HEAD~1');
    const noop = await ferry('deploy', '--env', 'prod');
    expect(noop.code).toBe(0);
    expect(noop.stdout).toContain('No changes');
    const rollback = await ferry('rollback', '--env', 'staging', '--to', '#1', '--yes');
    expect(rollback.stderr).toBe('');
    expect(rollback.code).toBe(0);
    const status = JSON.parse((await ferry('status', '--json')).stdout) as { environments: { name: string; deployed?: { toCommit: string; mode: string } }[] };
    const staged = status.environments.find((e) => e.name === 'staging');
    expect(staged?.deployed).toMatchObject({ toCommit: first, mode: 'Full' });
    const plan = await ferry('plan', '--env', 'staging', '--detailed-exitcode');
    expect(plan.code).toBe(2);
  });

  it('refuses an instance that runs another format version, naming both', async () => {
    const other = await startServe({ env: 'staging', hooks: { formatVersion: 2 } });
    const r = await runFerry(['deploy', '--env', 'staging'], { cwd: repo.dir, env: { FERRY_STORE_STAGING: other.url } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('FERRY_E_VERSION');
    expect(r.stderr).toContain('format version 2');
    expect(r.stderr).toContain('this client has format version 1');
    expect(other.logs.filter((l) => l.msg === 'request').map((l) => l.path)).toEqual(['/api/sync/check']);
    await other.stop();
  });
});
