/**
 * What an environment shows to the outside, read through Ferry's own public reads: the objects
 * (`Store.listObjects`), the files `ferry serialize` would write (`storeToFiles`), and the
 * delivery API's answers (a real instance server over the store). Two stores that hold the same
 * content give equal observations, whatever history brought them there.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RepositoryConfig, Store, StoredObject, StoreWrite } from '../../src/model/index.js';
import { KIND_ORDER, emptyCounts } from '../../src/model/index.js';
import { storeToFiles } from '../../src/restore/serialize.js';
import { SqliteStore } from '../../src/store/index.js';
import { createDeliveryHandler } from '../../src/transport/delivery/index.js';
import { startInstanceServer, type InstanceServer } from '../../src/transport/server/instance-server.js';

export const DIFF_SECRET = 'differential-test-secret-0123456789abcdef';
export const DELIVERY = { apiKey: 'blt-differential', token: 'cs-differential-token' };
const AUTH = { api_key: DELIVERY.apiKey, access_token: DELIVERY.token };

/** An object as a store holds it, without what only history decides (drift marks). */
export interface ObservedObject {
  key: string;
  kind: string;
  codeName: string;
  path: string;
  sourceHash: string;
  object: unknown;
}

export function observedObjects(list: readonly StoredObject[]): ObservedObject[] {
  return list
    .map((o) => ({ key: o.key, kind: o.kind, codeName: o.codeName, path: o.path, sourceHash: o.sourceHash, object: o.object }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

export async function objectsOfStore(store: Store): Promise<ObservedObject[]> {
  return observedObjects(await store.listObjects());
}

/** `ferry serialize`'s files, as text by path. */
export async function serializedFiles(store: Store, config: RepositoryConfig): Promise<Record<string, string>> {
  const files = await storeToFiles(store, config);
  const out: Record<string, string> = {};
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) out[f.path] = Buffer.from(f.bytes).toString('base64');
  return out;
}

/**
 * A store holding exactly these objects, written through the Store port in one deployment: the
 * expected side of a comparison when a restore mode keeps objects a fresh restore would not have.
 */
export async function materialize(objects: readonly ObservedObject[], dir: string, blobSources: readonly Store[]): Promise<SqliteStore> {
  const store = SqliteStore.open(join(dir, `expected-${Math.random().toString(36).slice(2)}.db`));
  for (const o of objects) {
    if (o.kind !== 'asset') continue;
    const sha = (o.object as { sha256: string }).sha256;
    let bytes: Uint8Array | undefined;
    for (const source of blobSources) if ((bytes = await source.readBlob(sha))) break;
    if (!bytes) throw new Error(`no fresh restore holds the binary ${sha} of asset ${o.codeName}`);
    await store.putBlob(sha, bytes);
  }
  const d = await store.startDeployment({ environment: 'expected', source: 'oracle', mode: 'Full', actor: 'oracle', startedAt: '2026-01-01T00:00:00.000Z' });
  const writes: StoreWrite[] = [...objects]
    .sort((a, b) => KIND_ORDER[a.kind as keyof typeof KIND_ORDER] - KIND_ORDER[b.kind as keyof typeof KIND_ORDER] || (a.key < b.key ? -1 : 1))
    .map((o) => ({ op: 'put', object: o.object as never, path: o.path, sourceHash: o.sourceHash }));
  await store.commitDeployment(d.id, writes, [], emptyCounts(), '2026-01-01T00:00:01.000Z');
  return store;
}

export interface DeliveryServer {
  url: string;
  stop(): Promise<void>;
}

/** A real instance server with the delivery API over a store (the caller keeps the store open). */
export async function startDelivery(store: Store, dir: string): Promise<DeliveryServer> {
  const server: InstanceServer = await startInstanceServer({
    environment: 'staging',
    store,
    secret: DIFF_SECRET,
    tasksFile: join(mkdtempSync(join(dir, 'tasks-')), 'tasks.db'),
    log: () => undefined,
    deliveryHandler: createDeliveryHandler({ environment: 'staging', store, credentials: { apiKey: DELIVERY.apiKey, tokens: { website: DELIVERY.token } } }),
  });
  return { url: server.url, stop: () => server.stop() };
}

export function getJson(baseUrl: string, target: string): Promise<any> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname: url.hostname, port: url.port, path: target, headers: AUTH, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode !== 200) return reject(new Error(`GET ${target}: ${res.statusCode} ${body}`));
        resolve(JSON.parse(body));
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Removes what only history or the server's address decides: times, versions, URLs. */
export function stripVolatile(v: any): any {
  if (Array.isArray(v)) return v.map(stripVolatile);
  if (!v || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === 'created_at' || k === 'updated_at' || k === '_version' || k === 'url' || k === 'time') continue;
    out[k] = stripVolatile(x);
  }
  return out;
}

export interface SyncState {
  entries: Map<string, unknown>;
  assets: Map<string, unknown>;
  token: string;
}

/** Follows a sync from `first` to its sync_token; returns every item in order. */
export async function syncItems(baseUrl: string, first: string): Promise<{ items: any[]; token: string }> {
  const items: any[] = [];
  let target = first;
  for (let i = 0; i < 1000; i++) {
    const page = await getJson(baseUrl, target);
    items.push(...page.items);
    if (page.sync_token) return { items, token: page.sync_token };
    target = `/v3/stacks/sync?pagination_token=${encodeURIComponent(page.pagination_token)}`;
  }
  throw new Error('sync did not end');
}

/** A Sync API client's local copy after applying items in order (entries by uid/locale, assets by uid). */
export function applySyncItems(state: { entries: Map<string, unknown>; assets: Map<string, unknown> }, items: readonly any[]): void {
  for (const i of items) {
    const key = `${i.data.uid}/${i.data.locale}`;
    switch (i.type) {
      case 'entry_published':
        state.entries.set(key, { contentType: i.content_type_uid, data: stripVolatile(i.data) });
        break;
      case 'entry_unpublished':
      case 'entry_deleted':
        state.entries.delete(key);
        break;
      case 'asset_published':
        state.assets.set(i.data.uid, stripVolatile(i.data));
        break;
      case 'asset_unpublished':
      case 'asset_deleted':
        state.assets.delete(i.data.uid);
        break;
      case 'content_type_deleted':
        for (const [k, v] of state.entries) if ((v as { contentType: string }).contentType === i.content_type_uid) state.entries.delete(k);
        break;
      default:
        throw new Error(`unknown sync item type ${i.type}`);
    }
  }
}

export async function syncInit(baseUrl: string): Promise<SyncState> {
  const { items, token } = await syncItems(baseUrl, '/v3/stacks/sync?init=true');
  const state = { entries: new Map<string, unknown>(), assets: new Map<string, unknown>() };
  applySyncItems(state, items);
  return { ...state, token };
}

export function syncSnapshot(s: { entries: Map<string, unknown>; assets: Map<string, unknown> }): unknown {
  const sorted = (m: Map<string, unknown>) => Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : 1)));
  return { entries: sorted(s.entries), assets: sorted(s.assets) };
}

/** The delivery API's answers: content types, every type's entries in every locale, assets, a sync init. */
export async function deliveryAnswers(baseUrl: string, locales: readonly string[]): Promise<unknown> {
  const types = await getJson(baseUrl, '/v3/content_types?include_count=true');
  const out: Record<string, unknown> = { content_types: stripVolatile(types) };
  for (const t of (types.content_types ?? []).map((x: any) => x.uid).sort()) {
    for (const locale of locales) {
      out[`entries ${t} ${locale}`] = stripVolatile(await getJson(baseUrl, `/v3/content_types/${t}/entries?locale=${locale}&include_count=true`));
    }
  }
  const assets = await getJson(baseUrl, '/v3/assets?include_count=true');
  out.assets = stripVolatile(assets);
  // The files themselves, by their sha256 (asset URLs are public, as Contentstack's are).
  for (const a of assets.assets ?? []) out[`file ${a.uid}`] = await fileHash(baseUrl, new URL(a.url).pathname);
  out.sync = syncSnapshot(await syncInit(baseUrl));
  return out;
}

function fileHash(baseUrl: string, path: string): Promise<string> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname: url.hostname, port: url.port, path, agent: false }, (res) => {
      const hash = createHash('sha256');
      res.on('data', (c: Buffer) => hash.update(c));
      res.on('end', () => resolve(`${res.statusCode} ${hash.digest('hex')}`));
    });
    req.on('error', reject);
    req.end();
  });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
