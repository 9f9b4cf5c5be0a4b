import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { FerryError } from '../../src/errors/index.js';
import {
  OBJECT_KINDS,
  objectKey,
  type ChangeEvent,
  type ContentItem,
  type FerryObject,
  type LockHolder,
  type Page,
  type Store,
  type StoreWrite,
} from '../../src/model/index.js';
import type { WritesOutsideFerry } from '../../src/store/outside-writes.js';
import { COUNTS, asset, bulkItem, everyKind, hashOf, item, language, newDeployment, page, pathOf, put, workspace } from './store-fixtures.js';

export interface StoreContractOptions<S extends Store> {
  /**
   * Extra state only this implementation can see (e.g. every SQLite table), compared with the
   * port-level dump in the atomicity tests.
   */
  rawDump?: (store: S) => Promise<unknown>;
  /**
   * Capability the drift tests need, declared by every implementation (a suite without it does not
   * compile, and the drift tests never pass by skipping): how to write into the store outside Ferry.
   * A local store writes itself; a remote store writes the store behind its server.
   */
  outsideFerry: (store: S) => WritesOutsideFerry;
}

/**
 * The behaviour every Store implementation must have. `makeStore` returns a new, empty store
 * each time; the suite closes what it opens.
 */
export function runStoreContract<S extends Store>(name: string, makeStore: () => Promise<S>, options: StoreContractOptions<S>): void {
  describe(`Store contract: ${name}`, () => {
    const open: S[] = [];
    async function fresh(): Promise<S> {
      const s = await makeStore();
      open.push(s);
      return s;
    }
    afterEach(async () => {
      for (const s of open.splice(0)) await s.close();
    });

    async function deployWrites(store: Store, writes: StoreWrite[], events: ChangeEvent[] = [], status?: 'succeeded' | 'no-op') {
      const d = await store.startDeployment(newDeployment());
      return store.commitDeployment(d.id, writes, events, COUNTS, '2024-05-01T10:01:00.000Z', status);
    }

    async function dump(store: S) {
      return {
        index: sortByKey(await store.index()),
        objects: await store.listObjects(),
        deployments: await store.deployments(),
        changes: await store.changes(0, 1_000_000),
        lastChangeSeq: await store.lastChangeSeq(),
        drift: await store.drift(),
        hasDrift: await store.hasDrift(),
        raw: options.rawDump ? await options.rawDump(store) : undefined,
      };
    }

    it('starts empty', async () => {
      const store = await fresh();
      expect(await store.index()).toEqual([]);
      expect(await store.listObjects()).toEqual([]);
      expect(await store.lastChangeSeq()).toBe(0);
      expect(await store.changes(0, 10)).toEqual([]);
      expect(await store.deployments()).toEqual([]);
      expect(await store.lastSuccessfulDeployment()).toBeUndefined();
      expect(await store.hasDrift()).toBe(false);
      expect(await store.drift()).toEqual({ changed: [], added: [], deleted: [] });
    });

    describe('objects', () => {
      it('finds the items and pages that may reference a key, and follows their updates and deletions', async () => {
        const store = await fresh();
        const child: Page = { ...page, guid: '70000000-0000-4000-8000-000000000002', codeName: 'child', parent: page.guid, variants: { 'en-US': { ...page.variants['en-US'], slug: 'child' } } };
        await deployWrites(store, [...everyKind.map((o) => put(o)), put(child)]);
        const keysOf = async (keys: string[]) => (await store.findReferrers(keys)).map((i) => i.key).sort();
        // The item names the asset in a field; the child page names its parent.
        expect(await keysOf([asset.guid])).toEqual([item.guid]);
        expect(await keysOf([page.guid])).toEqual([child.guid]);
        expect(await keysOf([asset.guid, page.guid])).toEqual([item.guid, child.guid].sort());
        expect((await store.findReferrers([asset.guid]))[0]).toMatchObject({ kind: 'contentItem', codeName: item.codeName, path: pathOf(item), sourceHash: hashOf(item) });
        expect(await store.findReferrers([])).toEqual([]);
        expect(await keysOf(['no-such-key'])).toEqual([]);
        // An update that drops the reference drops the row; a deleted referrer is gone too.
        await deployWrites(store, [put({ ...item, fields: {} }, 2), { op: 'delete', key: child.guid, kind: 'page' }]);
        expect(await keysOf([asset.guid, page.guid])).toEqual([]);
      });

      it('round-trips an object of every kind through put, index, getObjects and listObjects', async () => {
        const store = await fresh();
        await deployWrites(store, everyKind.map((o) => put(o)));

        const expectedInfo = everyKind.map((o) => ({
          key: objectKey(o),
          kind: o.kind,
          ...(o.kind === 'language' ? {} : { guid: o.guid }),
          codeName: o.codeName,
          ...(o.kind === 'contentItem' || o.kind === 'page' ? { contentType: o.contentType } : {}),
          path: pathOf(o),
          sourceHash: hashOf(o),
        }));
        expect(sortByKey(await store.index())).toEqual(sortByKey(expectedInfo));

        const got = await store.getObjects([...everyKind.map(objectKey), 'no-such-key']);
        expect(got.size).toBe(everyKind.length);
        for (const o of everyKind) {
          const s = got.get(objectKey(o));
          expect(s?.object).toEqual(o);
          expect(s?.path).toBe(pathOf(o));
          expect(s?.sourceHash).toBe(hashOf(o));
          expect(s?.drift).toBeUndefined();
        }

        const listed = await store.listObjects();
        expect(listed.map((s) => s.kind)).toEqual([...OBJECT_KINDS]);
        expect(listed.map((s) => s.object)).toEqual(everyKind);

        const content = await store.listObjects(['page', 'contentItem']);
        expect(content.map((s) => s.key)).toEqual([item.guid, page.guid]);
        expect(await store.getObjects([])).toEqual(new Map());
      });

      it('finds objects by kind and code name (what an incremental plan looks up)', async () => {
        const store = await fresh();
        expect(store.findByCodeNames).toBeTypeOf('function');
        await deployWrites(store, everyKind.map((o) => put(o)));
        const found = await store.findByCodeNames!([
          { kind: 'contentItem', codeName: item.codeName },
          { kind: 'language', codeName: language.codeName },
          { kind: 'page', codeName: item.codeName },
          { kind: 'workspace', codeName: 'no-such-workspace' },
        ]);
        expect(sortByKey(found)).toEqual(
          sortByKey(
            [item, language].map((o) => ({
              key: objectKey(o),
              kind: o.kind,
              ...(o.kind === 'language' ? {} : { guid: o.guid }),
              codeName: o.codeName,
              ...(o.kind === 'contentItem' ? { contentType: o.contentType } : {}),
              path: pathOf(o),
              sourceHash: hashOf(o),
            })),
          ),
        );
        expect(await store.findByCodeNames!([])).toEqual([]);
      });

      it('updates in place and deletes', async () => {
        const store = await fresh();
        await deployWrites(store, [put(language), put(workspace), put(item)]);
        const edited: ContentItem = { ...item, codeName: 'coffee-history', fields: { heroImage: [] } };
        await deployWrites(store, [
          { op: 'put', object: edited, path: 'content/items/article/coffee-history.yaml', sourceHash: hashOf(edited, 2) },
          { op: 'delete', key: workspace.guid, kind: 'workspace' },
        ]);
        const index = sortByKey(await store.index());
        expect(index.map((i) => i.key)).toEqual(sortByKey([{ key: item.guid }, { key: objectKey(language) }]).map((i) => i.key));
        const got = (await store.getObjects([item.guid])).get(item.guid);
        expect(got?.object).toEqual(edited);
        expect(got?.codeName).toBe('coffee-history');
        expect(got?.path).toBe('content/items/article/coffee-history.yaml');
        expect(got?.sourceHash).toBe(hashOf(edited, 2));
        expect((await store.getObjects([workspace.guid])).size).toBe(0);
        // Ferry's own changes are not drift.
        expect(await store.hasDrift()).toBe(false);
      });

      // How fast is a bench figure (`npm run bench:guards`): a loaded CI machine took 9.9 s here.
      it('upserts 20,000 objects in one commit, then updates them all', async () => {
        const store = await fresh();
        const writes = Array.from({ length: 20_000 }, (_, i) => put(bulkItem(i)));
        await deployWrites(store, writes);
        expect((await store.index()).length).toBe(20_000);
        await deployWrites(store, writes.map((w) => ({ ...w, sourceHash: 'f'.repeat(40) })));
        const index = await store.index();
        expect(index.length).toBe(20_000);
        expect(index.every((i) => i.sourceHash === 'f'.repeat(40))).toBe(true);
      });
    });

    describe('atomicity', () => {
      it('a commit whose second write fails leaves the store exactly as before', async () => {
        const store = await fresh();
        await deployWrites(store, everyKind.map((o) => put(o)), [event('entry_published', item.guid, 'en-US')]);
        const d = await store.startDeployment(newDeployment({ message: 'will fail' }));
        const before = await dump(store);

        const bogus = { ...workspace, guid: '99999999-0000-4000-8000-000000000001', kind: 'bogus' } as unknown as FerryObject;
        const writes: StoreWrite[] = [
          put({ ...item, codeName: 'changed-first' }, 2),
          { op: 'put', object: bogus, path: 'content/bogus.yaml', sourceHash: 'b'.repeat(40) },
          { op: 'delete', key: objectKey(language), kind: 'language' },
        ];
        const err = await store
          .commitDeployment(d.id, writes, [event('entry_deleted', page.guid, 'en-US')], COUNTS, '2024-05-01T10:05:00.000Z')
          .catch((e: unknown) => e);
        expect(err).toBeInstanceOf(FerryError);
        expect((err as FerryError).code).toBe('FERRY_E_STORE');
        expect(await dump(store)).toEqual(before);
        expect((await store.getDeployment(d.id))?.status).toBe('running');

        const failed = await store.failDeployment(d.id, [{ code: 'FERRY_E_STORE', severity: 'error', message: 'boom' }], 'write 2 failed', '2024-05-01T10:06:00.000Z');
        expect(failed.status).toBe('failed');
      });

      it('a commit that fails on its last write (after updates and deletes) also leaves the store as before', async () => {
        const store = await fresh();
        await deployWrites(store, everyKind.map((o) => put(o)));
        const d = await store.startDeployment(newDeployment());
        const before = await dump(store);
        const bogus = { ...page, kind: 'nope' } as unknown as FerryObject;
        const writes: StoreWrite[] = [
          { op: 'delete', key: page.guid, kind: 'page' },
          put({ ...item, variants: {} }, 3),
          { op: 'delete', key: workspace.guid, kind: 'workspace' },
          { op: 'put', object: bogus, path: 'x.yaml', sourceHash: 'c'.repeat(40) },
        ];
        await expect(store.commitDeployment(d.id, writes, [], COUNTS, '2024-05-01T10:05:00.000Z')).rejects.toMatchObject({ code: 'FERRY_E_STORE' });
        expect(await dump(store)).toEqual(before);
      });

      it('refuses to commit a deployment that is not running, and writes nothing', async () => {
        const store = await fresh();
        const done = await deployWrites(store, [put(language)]);
        const before = await dump(store);
        await expect(store.commitDeployment(done.id, [put(workspace)], [], COUNTS, '2024-05-01T11:00:00.000Z')).rejects.toMatchObject({ code: 'FERRY_E_CONFLICT' });
        await expect(store.commitDeployment(12345, [put(workspace)], [], COUNTS, '2024-05-01T11:00:00.000Z')).rejects.toMatchObject({ code: 'FERRY_E_NOT_FOUND' });
        expect(await dump(store)).toEqual(before);
      });
    });

    describe('change log', () => {
      it('assigns strictly increasing seqs across deployments and pages through them', async () => {
        const store = await fresh();
        const first = await deployWrites(store, [put(item), put(page)], [
          event('entry_published', item.guid, 'en-US'),
          event('entry_published', page.guid, 'en-US'),
          { type: 'asset_published', key: 'asset-1', kind: 'asset', at: '2024-05-01T10:00:00.000Z' },
        ]);
        const second = await deployWrites(store, [{ op: 'delete', key: page.guid, kind: 'page' }], [event('entry_deleted', page.guid, 'en-US')]);

        const all = await store.changes(0, 100);
        expect(all.map((e) => e.type)).toEqual(['entry_published', 'entry_published', 'asset_published', 'entry_deleted']);
        const seqs = all.map((e) => e.seq as number);
        for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]);
        expect(all.map((e) => e.deploymentId)).toEqual([first.id, first.id, first.id, second.id]);
        expect(all[0]).toEqual({ seq: seqs[0], type: 'entry_published', key: item.guid, kind: 'contentItem', contentType: 'article', locale: 'en-US', at: '2024-05-01T10:00:00.000Z', deploymentId: first.id });
        expect(all[2]).not.toHaveProperty('contentType');
        expect(all[2]).not.toHaveProperty('locale');
        expect(await store.lastChangeSeq()).toBe(seqs[3]);

        expect((await store.changes(seqs[0], 2)).map((e) => e.seq)).toEqual([seqs[1], seqs[2]]);
        expect((await store.changes(seqs[2], 100)).map((e) => e.seq)).toEqual([seqs[3]]);
        expect(await store.changes(seqs[3], 100)).toEqual([]);
      });
    });

    describe('deployments', () => {
      it('records the lifecycle: running, succeeded, failed, no-op; newest first', async () => {
        const store = await fresh();
        const d1 = await store.startDeployment(newDeployment({ fromCommit: 'f'.repeat(40), tag: 'v1.0.0', message: 'first' }));
        expect(d1).toEqual({
          id: d1.id,
          environment: 'dev',
          source: 'commit',
          fromCommit: 'f'.repeat(40),
          toCommit: 'a'.repeat(40),
          tag: 'v1.0.0',
          mode: 'CreateUpdate',
          actor: 'tester',
          startedAt: '2024-05-01T10:00:00.000Z',
          status: 'running',
          counts: { create: 0, update: 0, delete: 0, rename: 0, publish: 0, unpublish: 0, skip: 0 },
          diagnostics: [],
          message: 'first',
        });
        expect(await store.getDeployment(d1.id)).toEqual(d1);
        expect(await store.lastSuccessfulDeployment()).toBeUndefined();

        const counts = { create: 2, update: 1, delete: 0, rename: 0, publish: 1, unpublish: 0, skip: 3 };
        const c1 = await store.commitDeployment(d1.id, [put(language)], [], counts, '2024-05-01T10:02:00.000Z');
        expect(c1).toEqual({ ...d1, status: 'succeeded', counts, finishedAt: '2024-05-01T10:02:00.000Z' });
        expect(await store.lastSuccessfulDeployment()).toEqual(c1);

        const d2 = await store.startDeployment(newDeployment({ toCommit: 'b'.repeat(40), startedAt: '2024-05-02T00:00:00.000Z' }));
        expect(d2.id).toBeGreaterThan(d1.id);
        const diagnostics = [{ code: 'FERRY_E_REFERENCE' as const, severity: 'error' as const, message: 'missing', file: 'content/items/a/b.yaml', line: 3, column: 5 }];
        const f2 = await store.failDeployment(d2.id, diagnostics, 'validation failed', '2024-05-02T00:01:00.000Z');
        expect(f2).toMatchObject({ id: d2.id, status: 'failed', diagnostics, message: 'validation failed', finishedAt: '2024-05-02T00:01:00.000Z' });
        expect(await store.lastSuccessfulDeployment()).toEqual(c1);
        await expect(store.failDeployment(d1.id, [], 'too late', '2024-05-02T00:02:00.000Z')).rejects.toMatchObject({ code: 'FERRY_E_CONFLICT' });

        const d3 = await store.startDeployment(newDeployment({ toCommit: 'a'.repeat(40), startedAt: '2024-05-03T00:00:00.000Z' }));
        const n3 = await store.commitDeployment(d3.id, [], [], { ...COUNTS, create: 0 }, '2024-05-03T00:00:01.000Z', 'no-op');
        expect(n3.status).toBe('no-op');
        expect(await store.lastSuccessfulDeployment()).toEqual(n3);

        expect((await store.deployments()).map((d) => d.id)).toEqual([d3.id, d2.id, d1.id]);
        expect((await store.deployments({ limit: 1 })).map((d) => d.id)).toEqual([d3.id]);
        expect(await store.getDeployment(d3.id + 100)).toBeUndefined();
        await expect(store.failDeployment(d3.id + 100, [], 'x', '2024-05-03T00:00:02.000Z')).rejects.toMatchObject({ code: 'FERRY_E_NOT_FOUND' });
      });
    });

    describe('drift', () => {
      it('finds objects edited and added outside Ferry, and a Ferry put clears them', async () => {
        const store = await fresh();
        const outside = options.outsideFerry(store);
        await deployWrites(store, everyKind.map((o) => put(o)));
        expect(await store.hasDrift()).toBe(false);

        await outside.writeObjectOutsideFerry({ ...item, variants: { ...item.variants, 'en-US': { ...item.variants['en-US'], displayName: 'Edited by hand' } } });
        const stray = { ...workspace, guid: '11111111-0000-4000-8000-000000000009', codeName: 'stray' };
        await outside.writeObjectOutsideFerry(stray);

        expect(await store.hasDrift()).toBe(true);
        const drift = await store.drift();
        expect(drift.changed).toEqual([
          { key: item.guid, kind: 'contentItem', guid: item.guid, codeName: item.codeName, contentType: 'article', path: pathOf(item), sourceHash: hashOf(item), drift: 'changed' },
        ]);
        expect(drift.added).toEqual([{ key: stray.guid, kind: 'workspace', guid: stray.guid, codeName: 'stray', path: '', sourceHash: '', drift: 'added' }]);
        expect(drift.deleted).toEqual([]);
        const info = new Map((await store.index()).map((i) => [i.key, i]));
        expect(info.get(item.guid)?.drift).toBe('changed');
        expect(info.get(stray.guid)?.drift).toBe('added');
        expect(info.get(page.guid)?.drift).toBeUndefined();

        await deployWrites(store, [put(item, 2)]);
        expect((await store.drift()).changed).toEqual([]);
        expect(await store.hasDrift()).toBe(true);
        await deployWrites(store, [{ op: 'delete', key: stray.guid, kind: 'workspace' }]);
        expect(await store.drift()).toEqual({ changed: [], added: [], deleted: [] });
        expect(await store.hasDrift()).toBe(false);
      });
    });

    describe('blobs', () => {
      const bytes = new TextEncoder().encode('abc');
      const sha = createHash('sha256').update(bytes).digest('hex');

      it('stores, finds and reads blobs by sha256, idempotently', async () => {
        const store = await fresh();
        expect(await store.hasBlob(sha)).toBe(false);
        expect(await store.readBlob(sha)).toBeUndefined();
        await store.putBlob(sha, bytes);
        await store.putBlob(sha, bytes);
        expect(await store.hasBlob(sha)).toBe(true);
        expect(Buffer.from((await store.readBlob(sha)) ?? [])).toEqual(Buffer.from(bytes));
      });

      it('refuses bytes that do not match their sha256', async () => {
        const store = await fresh();
        const other = createHash('sha256').update('abd').digest('hex');
        await expect(store.putBlob(other, bytes)).rejects.toMatchObject({ code: 'FERRY_E_ASSET' });
        expect(await store.hasBlob(other)).toBe(false);
      });

      it('streams a blob in chunks (putBlobStream) and reads back the same bytes, idempotently', async () => {
        const store = await fresh();
        const big = new Uint8Array(300_000).map((_, i) => (i * 7919) % 251);
        const bigSha = createHash('sha256').update(big).digest('hex');
        const chunks = async function* () {
          for (let i = 0; i < big.byteLength; i += 65_536) yield big.subarray(i, i + 65_536);
        };
        await store.putBlobStream(bigSha, big.byteLength, chunks);
        await store.putBlobStream(bigSha, big.byteLength, chunks);
        expect(await store.hasBlob(bigSha)).toBe(true);
        expect(Buffer.from((await store.readBlob(bigSha)) ?? []).equals(Buffer.from(big))).toBe(true);
      });

      it('refuses streamed bytes that do not match their sha256 or size, and stores nothing', async () => {
        const store = await fresh();
        const other = createHash('sha256').update('abd').digest('hex');
        const once = (b: Uint8Array) => async function* () {
          yield b;
        };
        await expect(store.putBlobStream(other, bytes.byteLength, once(bytes))).rejects.toMatchObject({ code: 'FERRY_E_ASSET' });
        await expect(store.putBlobStream(sha, bytes.byteLength + 1, once(bytes))).rejects.toMatchObject({ code: 'FERRY_E_ASSET' });
        expect(await store.hasBlob(other)).toBe(false);
        expect(await store.hasBlob(sha)).toBe(false);
      });

      it('refuses blob ids that are not a lower-case sha256 (path tricks included)', async () => {
        const store = await fresh();
        for (const bad of ['../../../../etc/passwd', `../${sha.slice(3)}`, sha.toUpperCase(), sha.slice(1), `${sha}/x`, '', 'z'.repeat(64)]) {
          await expect(store.putBlob(bad, bytes), bad).rejects.toMatchObject({ code: 'FERRY_E_ASSET' });
          await expect(store.putBlobStream(bad, bytes.byteLength, async function* () {
            yield bytes;
          }), bad).rejects.toMatchObject({ code: 'FERRY_E_ASSET' });
          await expect(store.hasBlob(bad), bad).rejects.toMatchObject({ code: 'FERRY_E_ASSET' });
          await expect(store.readBlob(bad), bad).rejects.toMatchObject({ code: 'FERRY_E_ASSET' });
        }
      });
    });

    describe('lock', () => {
      const holderA: LockHolder = { pid: process.pid, host: hostname(), actor: 'alice', since: '2024-05-01T10:00:00.000Z', purpose: 'deploy main to dev' };
      const holderB: LockHolder = { ...holderA, actor: 'bob', purpose: 'deploy v2 to dev' };

      it('makes a second acquirer wait, then fail with FERRY_E_LOCK naming the holder', async () => {
        const store = await fresh();
        const release = await store.acquireLock(holderA, 0);
        // It waits (still pending after the event loop has turned), then gives up.
        let settled = false;
        const waiting = store.acquireLock(holderB, 400).catch((e: unknown) => e).finally(() => (settled = true));
        await new Promise((r) => setImmediate(r));
        expect(settled).toBe(false);
        const err = (await waiting) as FerryError;
        expect(err).toBeInstanceOf(FerryError);
        expect(err.code).toBe('FERRY_E_LOCK');
        expect(err.message).toContain('gave up after 400 ms');
        for (const part of ['alice', String(process.pid), hostname(), '2024-05-01T10:00:00.000Z', 'deploy main to dev']) expect(err.message).toContain(part);

        await release();
        const releaseB = await store.acquireLock(holderB, 0);
        await expect(store.acquireLock(holderA, 0)).rejects.toMatchObject({ code: 'FERRY_E_LOCK', message: expect.stringContaining('bob') });
        await releaseB();
      });

      it('lets a waiting acquirer in as soon as the lock is released', async () => {
        const store = await fresh();
        const release = await store.acquireLock(holderA, 0);
        // Waits far longer than the test may run: only the release can let it in.
        let acquired = false;
        const waiting = store.acquireLock(holderB, 600_000).then((r) => ((acquired = true), r));
        await new Promise((r) => setImmediate(r));
        expect(acquired).toBe(false);
        await release();
        const releaseB = await waiting;
        expect(acquired).toBe(true);
        await releaseB();
      });

      it('takes over a lock held by a dead process on this host; the old release does not free the new holder', async () => {
        const store = await fresh();
        const deadPid = await pidOfExitedProcess();
        const releaseDead = await store.acquireLock({ ...holderA, pid: deadPid, actor: 'ghost' }, 0);
        // No waiting at all: a lock whose holder is dead is taken at the first try.
        const release = await store.acquireLock(holderB, 0);
        await releaseDead();
        await expect(store.acquireLock(holderA, 0)).rejects.toMatchObject({ code: 'FERRY_E_LOCK', message: expect.stringContaining('bob') });
        await release();
        await (await store.acquireLock(holderA, 0))();
      });

      it('does not take over a lock held on another host, whose pid it cannot check', async () => {
        const store = await fresh();
        const deadPid = await pidOfExitedProcess();
        const release = await store.acquireLock({ ...holderA, pid: deadPid, host: `not-${hostname()}` }, 0);
        await expect(store.acquireLock(holderB, 0)).rejects.toMatchObject({ code: 'FERRY_E_LOCK' });
        await release();
      });
    });
  });
}

function event(type: ChangeEvent['type'], key: string, locale: string): ChangeEvent {
  return { type, key, kind: type.startsWith('asset') ? 'asset' : key === page.guid ? 'page' : 'contentItem', contentType: 'article', locale, at: '2024-05-01T10:00:00.000Z' };
}

function sortByKey<T extends { key: string }>(xs: T[]): T[] {
  return [...xs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The pid of a process that has exited (and been reaped), so nothing is alive under it. */
export async function pidOfExitedProcess(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  const pid = child.pid as number;
  await new Promise<void>((resolve, reject) => {
    child.on('exit', () => resolve());
    child.on('error', reject);
  });
  return pid;
}
