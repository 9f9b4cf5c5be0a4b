/**
 * `ferry serve` applies packages on a restore thread with its own store connection: while a
 * large package is restored, the request thread keeps answering; the all-or-nothing guarantee
 * is the store's own transaction, on that thread.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeploymentCounts, FerryObject, StoreWrite } from '../../src/model/index.js';
import { RemoteStore } from '../../src/transport/client/remote-store.js';
import { removeGitRepos } from '../support/gitdir.js';
import { TEST_SECRET, startServe, stopAllServers, type ServeHandle } from '../support/serve.js';

const guid = (i: number, tag = 0) => `${String(i).padStart(8, '0')}-${String(tag).padStart(4, '0')}-4000-8000-000000000000`;
const COUNTS: DeploymentCounts = { create: 0, update: 0, delete: 0, rename: 0, publish: 0, unpublish: 0, skip: 0 };
const put = (o: FerryObject): StoreWrite => ({ op: 'put', object: o, path: `content/${o.kind}/${o.codeName}.yaml`, sourceHash: '0'.repeat(40) });

function catalog(): FerryObject[] {
  return [
    { kind: 'language', codeName: 'en-US', displayName: 'English', isDefault: true },
    { kind: 'workspace', guid: guid(999999), codeName: 'main', displayName: 'Main' },
    {
      kind: 'contentType',
      guid: guid(990000),
      codeName: 'note',
      displayName: 'Note',
      usage: 'reusable',
      fields: [{ guid: guid(900000, 1), name: 'title', type: 'text', required: false, localized: true }],
    },
  ] as FerryObject[];
}

function item(i: number): FerryObject {
  return {
    kind: 'contentItem',
    guid: guid(i),
    codeName: `item-${String(i).padStart(8, '0')}`,
    contentType: 'note',
    workspace: 'main',
    fields: {},
    variants: { 'en-US': { status: 'published', displayName: `Item ${i}`, fields: { title: `Item ${i} ${'coffee '.repeat(40)}` } } },
  } as FerryObject;
}

/** GET /healthz over a fresh connection; resolves with the status. */
function healthz(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(`${url}/healthz`, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', reject);
  });
}

describe('restores run off the request thread', () => {
  let server: ServeHandle;
  let remote: RemoteStore;
  beforeAll(async () => {
    server = await startServe({ env: 'staging' });
    remote = await RemoteStore.open({ url: server.url, secret: TEST_SECRET });
  });
  afterAll(async () => {
    await remote.close();
    await stopAllServers();
    removeGitRepos();
  });

  it('answers /healthz while 8,000 writes are being committed, on another thread', async () => {
    const at = '2026-01-01T00:00:00.000Z';
    const d = await remote.startDeployment({ environment: 'staging', source: 'test', mode: 'CreateUpdate', actor: 'test', startedAt: at });
    const items = Array.from({ length: 8000 }, (_, i) => item(i));
    const writes = [...catalog(), ...items].map(put);
    let done = false;
    const committed = remote.commitDeployment(d.id, writes, [], COUNTS, at).finally(() => (done = true));
    const answers: number[] = [];
    while (!done) answers.push(await healthz(server.url));
    expect((await committed).status).toBe('succeeded');
    expect(answers.every((s) => s === 200)).toBe(true);

    const lines = server.logs;
    const restoring = lines.findIndex((l) => l.msg === 'task' && l.step === 'restoring' && l.deployment === d.id);
    const completed = lines.findIndex((l) => l.msg === 'task' && l.step === 'completed' && l.deployment === d.id);
    expect(restoring).toBeGreaterThan(-1);
    expect(completed).toBeGreaterThan(restoring);
    // Requests answered between the start and the end of the restore: the request thread was free.
    const between = lines.slice(restoring + 1, completed).filter((l) => l.msg === 'request' && l.path === '/healthz');
    expect(between.length).toBeGreaterThan(0);
    expect(lines[completed].thread).toEqual(expect.any(Number));
    expect(lines[completed].thread).not.toBe(0);
    expect((await remote.index()).length).toBe(writes.length);
  });

  it('a package that fails on the restore thread changes nothing (one transaction) and reports the store error', async () => {
    const before = await remote.index();
    const at = '2026-01-02T00:00:00.000Z';
    const d = await remote.startDeployment({ environment: 'staging', source: 'test', mode: 'CreateUpdate', actor: 'test', startedAt: at });
    const changed = Array.from({ length: 500 }, (_, i) => ({ ...item(i), variants: { 'en-US': { status: 'published', displayName: `Changed ${i}`, fields: {} } } }) as FerryObject);
    // The last write deletes a kind the store does not know: it fails after 500 good writes.
    const writes: StoreWrite[] = [...changed.map(put), { op: 'delete', key: guid(5), kind: 'contentItem' }, { op: 'put', object: { kind: 'contentItem' } as FerryObject, path: 'content/x.yaml', sourceHash: '0'.repeat(40) }];
    await expect(remote.commitDeployment(d.id, writes, [], COUNTS, at)).rejects.toMatchObject({ code: expect.stringMatching(/^FERRY_E_/) });
    expect(await remote.index()).toEqual(before);
    const failed = server.logs.find((l) => l.msg === 'task' && l.step === 'failed' && l.deployment === d.id);
    expect(failed).toBeDefined();
  });
});
