/**
 * Fixtures for the delivery and Sync API tests: a small content repository in a real git
 * repository (two languages, `note` and `tag` content types, two assets), deployed with the real
 * `ferry deploy` (in-process), and a real instance (`startInstanceServer` + the delivery handler)
 * over the environment's SQLite store file.
 *
 * @example
 * const site = makeDeliveryRepo({ notes: notes(120) });
 * await site.deploy();
 * const instance = await startDeliveryInstance(site.storeFile);
 * const page = await getJson(instance.url, '/v3/stacks/sync?init=true');
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Store } from '../../src/model/index.js';
import { openStore } from '../../src/store/index.js';
import { createDeliveryHandler } from '../../src/transport/delivery/index.js';
import { startInstanceServer, type InstanceServer } from '../../src/transport/server/instance-server.js';
import { makeGitRepo, makeTempDir, type FileTree, type GitRepo } from '../support/gitdir.js';
import { ensurePostgresDatabase, reservePostgresUrl, sqlOn, storeUnderTest } from '../support/postgres.js';
import { ferry } from '../support/sample-repo.js';

export const API_KEY = 'blt-test-api-key';
export const DELIVERY_TOKEN = 'cs-test-delivery-token';
export const OTHER_TOKEN = 'cs-test-other-token';
export const AUTH = { api_key: API_KEY, access_token: DELIVERY_TOKEN };
const SECRET = 'delivery-test-sync-secret-0123456789abcdef';

/** A stable guid for a name (the same name gives the same guid in every run). */
export function guidOf(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export type Status = 'published' | 'draft' | 'unpublished';

export interface NoteSpec {
  code: string;
  /** Status per language (en-US, es-ES); absent languages have no variant. */
  variants: Partial<Record<'en-US' | 'es-ES', Status>>;
  headline?: string;
  /** Code names of notes or tags this note references (field `related`). */
  related?: string[];
  /** Asset code names (field `image`). */
  image?: string[];
  /** Content type: note (default) or tag. */
  type?: 'note' | 'tag';
}

/** `count` notes `note-0000…`, published in en-US (every third also in es-ES). */
export function notes(count: number, from = 0): NoteSpec[] {
  return Array.from({ length: count }, (_, i) => ({
    code: `note-${String(from + i).padStart(4, '0')}`,
    variants: (from + i) % 3 === 0 ? { 'en-US': 'published', 'es-ES': 'published' } : { 'en-US': 'published' },
  }));
}

/** The bytes of the two test assets: 1000 and 10 bytes of a known pattern. */
export const ASSET_BYTES: Record<string, Buffer> = {
  pixel: Buffer.from(Array.from({ length: 1000 }, (_, i) => (i * 7) % 256)),
  dot: Buffer.from('0123456789'),
};

const HEADER = (kind: string, depth: number) => `# yaml-language-server: $schema=${'../'.repeat(depth)}schemas/${kind}.schema.json\n`;

export function configYaml(store = 'sqlite:.ferry/prod.db'): string {
  return `folder: content
environments:
  - name: prod
    store: ${store}
    delivery:
      apiKey: ${API_KEY}
      tokens:
        website: ${DELIVERY_TOKEN}
        app: ${OTHER_TOKEN}
`;
}

function field(name: string, type: string, localized: boolean, extra = ''): string {
  return `  - guid: ${guidOf(`field:${name}`)}\n    name: ${name}\n    label: ${name}\n    type: ${type}\n    required: false\n    localized: ${localized}\n${extra}`;
}

function baseFiles(): FileTree {
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  const asset = (code: string, title: string) =>
    `${HEADER('asset', 3)}kind: asset\nguid: ${guidOf(`asset:${code}`)}\ncodeName: ${code}\nfolder: media\nfileName: ${code}.png\nmediaType: image/png\nsize: ${ASSET_BYTES[code].length}\nsha256: ${sha(ASSET_BYTES[code])}\nmetadata:\n  en-US:\n    title: ${title}\n    alt: Alt of ${code}\n  es-ES:\n    title: ${title} (es)\n`;
  return {
    'repository.config.yaml': configYaml(),
    '.gitignore': '.ferry/\n',
    'content/languages/en-US.yaml': `${HEADER('language', 2)}kind: language\ncodeName: en-US\ndisplayName: English\nisDefault: true\n`,
    'content/languages/es-ES.yaml': `${HEADER('language', 2)}kind: language\ncodeName: es-ES\ndisplayName: Spanish\nisDefault: false\nfallback: en-US\n`,
    'content/workspaces/main.yaml': `${HEADER('workspace', 2)}kind: workspace\nguid: ${guidOf('workspace:main')}\ncodeName: main\ndisplayName: Main\n`,
    'content/content-types/note.yaml':
      `${HEADER('content-type', 2)}kind: contentType\nguid: ${guidOf('type:note')}\ncodeName: note\ndisplayName: Note\nusage: reusable\nfields:\n` +
      field('headline', 'text', true) +
      field('rank', 'integer', false) +
      field('related', 'contentItems', false) +
      field('image', 'assets', false),
    'content/content-types/tag.yaml': `${HEADER('content-type', 2)}kind: contentType\nguid: ${guidOf('type:tag')}\ncodeName: tag\ndisplayName: Tag\nusage: reusable\nfields:\n${field('label', 'text', false)}`,
    'content/assets/media/_folder.yaml': `${HEADER('asset-folder', 3)}kind: assetFolder\nguid: ${guidOf('folder:media')}\ncodeName: media\ndisplayName: Media\n`,
    'content/assets/media/pixel.yaml': asset('pixel', 'Pixel'),
    'content/assets/media/pixel.png': ASSET_BYTES.pixel,
    'content/assets/media/dot.yaml': asset('dot', 'Dot'),
    'content/assets/media/dot.png': ASSET_BYTES.dot,
  };
}

export function notePath(n: Pick<NoteSpec, 'code' | 'type'>): string {
  return `content/items/${n.type ?? 'note'}/${n.code}.yaml`;
}

export function noteFile(n: NoteSpec): string {
  const type = n.type ?? 'note';
  const shared: string[] = [];
  if (type === 'tag') shared.push(`  label: ${n.code}`);
  if (n.image?.length) shared.push(`  image:\n${n.image.map((a) => `    - ${guidOf(`asset:${a}`)}`).join('\n')}`);
  if (type === 'note') shared.push(`  rank: ${Number(n.code.replace(/\D/g, '')) || 0}`);
  if (n.related?.length) shared.push(`  related:\n${n.related.map((r) => `    - ${guidOf(`item:${r}`)}`).join('\n')}`);
  const variants = (['en-US', 'es-ES'] as const)
    .filter((l) => n.variants[l] !== undefined)
    .map((l) => {
      const title = `${n.headline ?? `Headline ${n.code}`}${l === 'es-ES' ? ' (es)' : ''}`;
      const fields = type === 'note' ? `\n    fields:\n      headline: ${title}` : '';
      return `  ${l}:\n    status: ${n.variants[l]}\n    displayName: ${title}${fields}`;
    });
  return `${HEADER('content-item', 3)}kind: contentItem\nguid: ${guidOf(`item:${n.code}`)}\ncodeName: ${n.code}\ncontentType: ${type}\nworkspace: main\n${
    shared.length ? `fields:\n${shared.join('\n')}\n` : ''
  }variants:\n${variants.join('\n')}\n`;
}

export function noteFiles(list: readonly NoteSpec[]): FileTree {
  return Object.fromEntries(list.map((n) => [notePath(n), noteFile(n)]));
}

export interface DeliveryRepo {
  repo: GitRepo;
  /** The prod store's URL: SQLite or PostgreSQL, as the vitest project says (storeUnderTest). */
  storeUrl: string;
  /** The SQLite file (SQLite runs only). */
  storeFile: string;
  /** Runs SQL on the store behind Ferry's back (SQLite or PostgreSQL syntax as the store needs). */
  sql(sql: string): Promise<void>;
  /** Commits the changes (null deletes) and deploys HEAD to prod with `ferry deploy` (mode Full: deletions apply). */
  change(files: FileTree, message?: string): Promise<void>;
  deploy(mode?: 'CreateUpdate' | 'Full'): Promise<void>;
}

export function makeDeliveryRepo(o: { notes?: readonly NoteSpec[]; withAssets?: boolean } = {}): DeliveryRepo {
  const files = baseFiles();
  if (o.withAssets === false) {
    for (const k of Object.keys(files)) if (k.startsWith('content/assets/')) delete files[k];
  }
  const postgres = storeUnderTest() === 'postgres';
  const pgUrl = postgres ? reservePostgresUrl('ferry_delivery') : undefined;
  if (pgUrl) files['repository.config.yaml'] = configYaml(pgUrl);
  const repo = makeGitRepo({ ...files, ...noteFiles(o.notes ?? []) }, { message: 'content' });
  const storeFile = join(repo.dir, '.ferry', 'prod.db');
  const site: DeliveryRepo = {
    repo,
    storeUrl: pgUrl ?? `sqlite:${storeFile}`,
    storeFile,
    async sql(text) {
      if (pgUrl) {
        await sqlOn(pgUrl, text);
        return;
      }
      const Database = (await import('better-sqlite3')).default;
      const db = new Database(storeFile);
      try {
        db.exec(text);
      } finally {
        db.close();
      }
    },
    async deploy(mode = 'Full') {
      if (pgUrl) await ensurePostgresDatabase(pgUrl);
      const r = await ferry(repo.dir, ['deploy', '--env', 'prod', '--mode', mode, '--format', 'json']);
      if (r.code !== 0) throw new Error(`ferry deploy failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
    },
    async change(f, message) {
      repo.commit(f, message);
      await site.deploy();
    },
  };
  return site;
}

export interface DeliveryInstance {
  url: string;
  port: number;
  store: Store;
  stop(): Promise<void>;
}

/** A real instance over the store (a URL, or a SQLite file), with the delivery API (page size 100 unless given). */
export async function startDeliveryInstance(storeUrl: string, o: { pageSize?: number; port?: number; publicUrl?: string; publicAssets?: boolean } = {}): Promise<DeliveryInstance> {
  const url = /^[a-z]+:/.test(storeUrl) ? storeUrl : `sqlite:${storeUrl}`;
  if (url.startsWith('postgres')) await ensurePostgresDatabase(url);
  const store = await openStore(url, { cwd: makeTempDir('ferry-delivery-cwd-') });
  const server: InstanceServer = await startInstanceServer({
    environment: 'prod',
    store,
    secret: SECRET,
    tasksFile: join(makeTempDir('ferry-tasks-'), 'tasks.db'),
    port: o.port ?? 0,
    log: () => undefined,
    deliveryHandler: createDeliveryHandler({
      environment: 'prod',
      store,
      credentials: { apiKey: API_KEY, tokens: { website: DELIVERY_TOKEN, app: OTHER_TOKEN } },
      pageSize: o.pageSize,
      publicUrl: o.publicUrl,
      publicAssets: o.publicAssets,
    }),
  });
  return {
    url: server.url,
    port: server.port,
    store,
    async stop() {
      await server.stop();
      await store.close();
    },
  };
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  json: any;
}

/** One GET (or other method) with exactly these headers; credentials unless `headers` replaces them. */
export function request(baseUrl: string, target: string, o: { method?: string; headers?: Record<string, string> } = {}): Promise<Reply> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname: url.hostname, port: url.port, method: o.method ?? 'GET', path: target, headers: o.headers ?? AUTH, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        let json: unknown;
        try {
          json = JSON.parse(body.toString('utf8'));
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

export async function getJson(baseUrl: string, target: string, headers: Record<string, string> = AUTH): Promise<any> {
  const r = await request(baseUrl, target, { headers });
  if (r.status !== 200) throw new Error(`GET ${target}: ${r.status} ${r.body.toString('utf8')}`);
  return r.json;
}

export interface SyncRun {
  pages: any[];
  items: any[];
  syncToken: string;
}

/** Follows pagination tokens from a first request until a sync_token, checking every page's shape. */
export async function syncAll(baseUrl: string, first: string): Promise<SyncRun> {
  const pages: any[] = [];
  let target = first;
  for (let i = 0; i < 10_000; i++) {
    const page = await getJson(baseUrl, target);
    pages.push(page);
    expect(page.limit).toBe(100);
    expect(page.skip).toBe(100 * i);
    expect(page.total_count).toBe(pages[0].total_count);
    const hasPagination = Object.prototype.hasOwnProperty.call(page, 'pagination_token');
    const hasSync = Object.prototype.hasOwnProperty.call(page, 'sync_token');
    expect(hasPagination !== hasSync).toBe(true);
    if (hasSync) return { pages, items: pages.flatMap((p) => p.items), syncToken: page.sync_token };
    target = `/v3/stacks/sync?pagination_token=${encodeURIComponent(page.pagination_token)}`;
  }
  throw new Error('sync did not finish');
}

/** `uid/locale` of entry items, `uid` of others: what a client keys its local copy by. */
export function itemKeys(items: readonly any[]): string[] {
  return items.map((i) => (i.type.startsWith('entry_') ? `${i.type}:${i.data.uid}/${i.data.locale}` : `${i.type}:${i.data.uid}`));
}

/** `count` notes published in en-US only. */
export function enNotes(count: number, from = 0): NoteSpec[] {
  return Array.from({ length: count }, (_, i) => ({ code: `note-${String(from + i).padStart(4, '0')}`, variants: { 'en-US': 'published' as const } }));
}

/** A client's local copy, keyed like `itemKeys`, updated by applying sync items in order. */
export class LocalCopy {
  readonly entries = new Map<string, { contentType: string; data: any }>();
  readonly assets = new Map<string, any>();

  apply(items: readonly any[]): this {
    for (const i of items) {
      const key = `${i.data.uid}/${i.data.locale}`;
      switch (i.type) {
        case 'entry_published':
          this.entries.set(key, { contentType: i.content_type_uid, data: i.data });
          break;
        case 'entry_unpublished':
        case 'entry_deleted':
          this.entries.delete(key);
          break;
        case 'asset_published':
          this.assets.set(i.data.uid, i.data);
          break;
        case 'asset_unpublished':
        case 'asset_deleted':
          this.assets.delete(i.data.uid);
          break;
        case 'content_type_deleted':
          for (const [k, v] of this.entries) if (v.contentType === i.content_type_uid) this.entries.delete(k);
          break;
        default:
          throw new Error(`unknown sync item type ${i.type}`);
      }
    }
    return this;
  }

  /** Comparable snapshot (asset URLs differ by port between instances, so they are left out). */
  snapshot(): Record<string, unknown> {
    const strip = (d: any) => ({ ...d, url: undefined });
    return {
      entries: Object.fromEntries([...this.entries].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, v.data])),
      assets: Object.fromEntries([...this.assets].sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, strip(v)])),
    };
  }
}
