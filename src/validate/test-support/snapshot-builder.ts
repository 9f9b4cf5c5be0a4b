/**
 * Builds snapshots in code for unit tests, with sensible defaults: language en-US (the default),
 * workspace `editorial`, content type `article` with a field of every data type. Pages, assets
 * and their supporting objects (channel `website`, page type `landing-page`, asset folder
 * `images`) are created on first use. Guids are derived from kind and code name, so a test can
 * reference an object before adding it: `b.guid('contentItem', 'espresso')`.
 *
 * @example
 * const b = new SnapshotBuilder().item('espresso').item('latte', { fields: { related: [b.guid('contentItem', 'espresso')] } });
 * validateSnapshot(b.build(), b.config(), b.options());
 */
import { createHash } from 'node:crypto';
import { DEFAULT_CONFIG } from '../../config/defaults.js';
import { assetBinaryPath, objectPath } from '../../format/layout.js';
import { compareCodePoints } from '../../model/compare.js';
import type { RepositoryConfig } from '../../model/config.js';
import {
  objectKey,
  type Asset,
  type AssetFolder,
  type Channel,
  type ContentFolder,
  type ContentItem,
  type ContentType,
  type FerryObject,
  type FieldDefinition,
  type Language,
  type ObjectKind,
  type Page,
  type Workspace,
} from '../../model/objects.js';
import { folderTree } from '../../model/folders.js';
import type { Snapshot, SnapshotEntry } from '../../model/snapshot.js';
import type { ValidateOptions } from '../context.js';

/** A deterministic lower-case UUID (version-4 shaped) for a seed. */
export function testGuid(kind: string, codeName: string): string {
  const h = createHash('sha256').update(`${kind}\u0000${codeName}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function field(type: FieldDefinition['type'], name: string, extra: Partial<FieldDefinition> = {}): FieldDefinition {
  return { guid: testGuid('field', `article.${name}`), name, type, required: false, localized: false, ...extra };
}

/** The default `article` fields: one of every data type. */
export const ARTICLE_FIELDS: readonly FieldDefinition[] = [
  field('text', 'title', { required: true, localized: true, validation: { maxLength: 100 } }),
  field('text', 'sku', { validation: { pattern: '^[A-Z]{3}-[0-9]+$' } }),
  field('longText', 'summary', { localized: true }),
  field('richText', 'body', { localized: true, format: 'markdown' }),
  field('integer', 'rating', { validation: { min: 1, max: 5 } }),
  field('decimal', 'price', { localized: true, validation: { min: 0 } }),
  field('boolean', 'featured'),
  field('date', 'publishDate'),
  field('dateTime', 'updatedAt'),
  field('url', 'website'),
  field('email', 'contact'),
  field('json', 'extra'),
  field('taxonomy', 'tags', { validation: { allowedValues: ['coffee', 'tea', 'news'], maxItems: 3 } }),
  field('contentItems', 'related', { validation: { allowedTypes: ['article'] } }),
  field('pages', 'relatedPages'),
  field('assets', 'heroImage', { validation: { maxItems: 1 } }),
];

export class SnapshotBuilder {
  readonly folder: string;
  private readonly list: { object: FerryObject; path?: string }[] = [];
  private readonly binaryOverrides = new Map<string, { size: number; sha256: string } | null>();

  constructor(opts: { folder?: string; defaults?: boolean } = {}) {
    this.folder = opts.folder ?? 'content';
    if (opts.defaults !== false) {
      this.language('en-US');
      this.workspace('editorial');
      this.contentType('article');
    }
  }

  guid(kind: ObjectKind, codeName: string): string {
    return testGuid(kind, codeName);
  }

  language(code: string, patch: Partial<Language> = {}): this {
    const languages = this.list.filter((e) => e.object.kind === 'language').map((e) => e.object as Language);
    const existing = languages.find((l) => l.codeName === code);
    const isDefault = existing ? existing.isDefault : languages.length === 0;
    return this.put({ kind: 'language', codeName: code, displayName: code, isDefault, ...patch });
  }

  workspace(codeName: string, patch: Partial<Workspace> = {}): this {
    return this.put({ kind: 'workspace', guid: testGuid('workspace', codeName), codeName, displayName: codeName, ...patch });
  }

  channel(codeName: string, patch: Partial<Channel> = {}): this {
    return this.put({
      kind: 'channel',
      guid: testGuid('channel', codeName),
      codeName,
      displayName: codeName,
      type: 'website',
      primaryLanguage: 'en-US',
      languages: ['en-US'],
      domains: [`${codeName}.example.com`],
      ...patch,
    });
  }

  contentType(codeName: string, patch: Partial<ContentType> = {}): this {
    return this.put({
      kind: 'contentType',
      guid: testGuid('contentType', codeName),
      codeName,
      displayName: codeName,
      usage: 'reusable',
      fields: codeName === 'article' ? ARTICLE_FIELDS.map((f) => ({ ...f })) : [],
      ...patch,
    });
  }

  assetFolder(codeName: string, patch: Partial<AssetFolder> = {}): this {
    return this.put({ kind: 'assetFolder', guid: testGuid('assetFolder', codeName), codeName, displayName: codeName, ...patch });
  }

  /**
   * An asset whose binary is registered with the right size and sha256. `bytes` sets the binary;
   * `binary: null` leaves it out; `binary: {size, sha256}` registers other values.
   */
  asset(codeName: string, patch: Partial<Asset> & { bytes?: string | Uint8Array; binary?: { size: number; sha256: string } | null } = {}): this {
    const { bytes, binary, ...rest } = patch;
    const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : (bytes ?? new TextEncoder().encode(`binary of ${codeName}`));
    const asset: Asset = {
      kind: 'asset',
      guid: testGuid('asset', codeName),
      codeName,
      folder: 'images',
      fileName: `${codeName}.jpg`,
      mediaType: 'image/jpeg',
      size: data.byteLength,
      sha256: sha256(data),
      metadata: { 'en-US': { title: codeName } },
      ...rest,
    };
    if (!this.has('assetFolder', asset.folder)) this.assetFolder(asset.folder);
    const path = this.binaryPath(asset);
    if (path !== undefined) {
      this.binaryOverrides.set(path, binary === undefined ? { size: data.byteLength, sha256: sha256(data) } : binary);
    }
    return this.put(asset);
  }

  /** A content folder of workspace `editorial` (a root folder unless `parent` is given). */
  contentFolder(codeName: string, patch: Partial<ContentFolder> = {}): this {
    return this.put({ kind: 'contentFolder', guid: testGuid('contentFolder', codeName), codeName, displayName: codeName, workspace: 'editorial', ...patch });
  }

  item(codeName: string, patch: Partial<ContentItem> = {}): this {
    return this.put({
      kind: 'contentItem',
      guid: testGuid('contentItem', codeName),
      codeName,
      contentType: 'article',
      workspace: 'editorial',
      fields: {},
      variants: { 'en-US': { status: 'published', displayName: codeName, fields: { title: codeName } } },
      ...patch,
    });
  }

  page(codeName: string, patch: Partial<Page> = {}): this {
    if (patch.channel === undefined && !this.has('channel', 'website')) this.channel('website');
    if (patch.contentType === undefined && !this.has('contentType', 'landing-page')) {
      this.contentType('landing-page', {
        usage: 'page',
        fields: [{ guid: testGuid('field', 'landing-page.title'), name: 'title', type: 'text', required: true, localized: true }],
      });
    }
    return this.put({
      kind: 'page',
      guid: testGuid('page', codeName),
      codeName,
      contentType: 'landing-page',
      channel: 'website',
      order: 0,
      fields: {},
      variants: { 'en-US': { status: 'published', displayName: codeName, slug: codeName, fields: { title: codeName } } },
      ...patch,
    });
  }

  /**
   * A richer clean snapshot on top of the defaults: a second language (es-ES, falling back to
   * en-US), every article field filled, items referencing each other, a page tree and an asset.
   */
  fullExample(): this {
    this.language('es-ES', { fallback: 'en-US' });
    this.channel('website', { languages: ['en-US', 'es-ES'] });
    this.asset('espresso');
    this.page('home');
    this.page('about', { parent: this.guid('page', 'home'), order: 1 });
    this.item('espresso', {
      fields: {
        sku: 'COF-1',
        rating: 5,
        featured: true,
        publishDate: '2024-02-29',
        updatedAt: '2024-05-01T10:00:00Z',
        website: 'https://example.com/espresso',
        contact: 'barista@example.com',
        extra: { origin: ['Ethiopia'], roast: 'dark' },
        tags: ['coffee'],
        related: [this.guid('contentItem', 'latte')],
        relatedPages: [this.guid('page', 'about')],
        heroImage: [this.guid('asset', 'espresso')],
      },
      variants: {
        'en-US': { status: 'published', displayName: 'Espresso', fields: { title: 'Espresso', summary: 'Short\nand strong', body: '# Espresso', price: 2.5 } },
        'es-ES': { status: 'draft', displayName: 'Café solo', fields: { title: 'Café solo', price: 2 } },
      },
    });
    this.item('latte');
    return this;
  }

  /** Appends an object as one more file, even if another has its key or code name (for duplicate tests). */
  add(object: FerryObject, path?: string): this {
    this.list.push({ object, path });
    return this;
  }

  /** Removes every object of a kind with a code name. */
  remove(kind: ObjectKind, codeName: string): this {
    for (let i = this.list.length - 1; i >= 0; i--) {
      const o = this.list[i].object;
      if (o.kind === kind && o.codeName === codeName) this.list.splice(i, 1);
    }
    return this;
  }

  has(kind: ObjectKind, codeName: string): boolean {
    return this.list.some((e) => e.object.kind === kind && e.object.codeName === codeName);
  }

  /** Every entry, including duplicates, sorted by path (what `ValidateOptions.allEntries` takes). */
  allEntries(): SnapshotEntry[] {
    return this.list
      .map(({ object, path }) => this.toEntry(object, path))
      .sort((a, b) => compareCodePoints(a.path, b.path));
  }

  /** The snapshot: entries by key in path order; of two files with one key, the first path wins. */
  build(): Snapshot {
    const entries = new Map<string, SnapshotEntry>();
    for (const e of this.allEntries()) if (!entries.has(e.key)) entries.set(e.key, e);
    return { entries, binaries: new Map(), diagnostics: [] };
  }

  /** The entry of an object, as `build()` makes it. */
  entry(kind: ObjectKind, codeName: string): SnapshotEntry {
    const found = this.allEntries().find((e) => e.kind === kind && e.codeName === codeName);
    if (!found) throw new Error(`no ${kind} ${codeName} in the builder`);
    return found;
  }

  binaries(): Map<string, { size: number; sha256: string }> {
    const out = new Map<string, { size: number; sha256: string }>();
    for (const [path, info] of this.binaryOverrides) if (info) out.set(path, info);
    return out;
  }

  config(patch: Partial<RepositoryConfig> = {}): RepositoryConfig {
    return {
      ...DEFAULT_CONFIG,
      kinds: [...DEFAULT_CONFIG.kinds],
      filters: {},
      assets: { ...DEFAULT_CONFIG.assets, extensions: [...DEFAULT_CONFIG.assets.extensions] },
      environments: [],
      secrets: [],
      folder: this.folder,
      ...patch,
    };
  }

  options(extra: Partial<ValidateOptions> = {}): ValidateOptions {
    return { binaries: this.binaries(), allEntries: this.allEntries(), ...extra };
  }

  private put(object: FerryObject): this {
    const i = this.list.findIndex((e) => e.object.kind === object.kind && e.object.codeName === object.codeName);
    if (i >= 0) this.list[i] = { object };
    else this.list.push({ object });
    return this;
  }

  private binaryPath(asset: Asset): string | undefined {
    try {
      return assetBinaryPath(asset, this.folder);
    } catch {
      return undefined;
    }
  }

  private toEntry(object: FerryObject, path?: string): SnapshotEntry {
    let p = path;
    if (p === undefined) {
      try {
        const tree = folderTree(this.list.flatMap((e) => (e.object.kind === 'contentFolder' ? [e.object] : [])));
        p = objectPath(object, this.folder, (ref) => {
          const guid = tree.resolve(ref);
          return guid === undefined ? undefined : tree.pathOf(guid);
        });
      } catch {
        p = `${this.folder}/${object.kind}/${String(object.codeName)}.yaml`;
      }
    }
    return {
      key: objectKey(object),
      kind: object.kind,
      codeName: object.codeName,
      path: p,
      hash: createHash('sha1').update(JSON.stringify(object)).digest('hex'),
      object,
    };
  }
}
