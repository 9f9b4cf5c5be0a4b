import type {
  Asset,
  AssetFolder,
  Channel,
  ContentFolder,
  ContentItem,
  ContentType,
  FerryObject,
  Language,
  NewDeployment,
  Page,
  StoreWrite,
  Workspace,
} from '../../src/model/index.js';

/** Small literal objects of every kind, and helpers to turn them into store writes. */

export const language: Language = { kind: 'language', codeName: 'en-US', displayName: 'English', isDefault: true };
export const languageEs: Language = { kind: 'language', codeName: 'es-ES', displayName: 'Español', isDefault: false, fallback: 'en-US' };
export const workspace: Workspace = { kind: 'workspace', guid: '10000000-0000-4000-8000-000000000001', codeName: 'editorial', displayName: 'Editorial' };
export const channel: Channel = {
  kind: 'channel',
  guid: '20000000-0000-4000-8000-000000000001',
  codeName: 'website',
  displayName: 'Website',
  type: 'website',
  languages: ['en-US', 'es-ES'],
  primaryLanguage: 'en-US',
  domains: ['example.com'],
};
export const contentType: ContentType = {
  kind: 'contentType',
  guid: '30000000-0000-4000-8000-000000000001',
  codeName: 'article',
  displayName: 'Article',
  usage: 'page',
  fields: [
    { guid: '31000000-0000-4000-8000-000000000001', name: 'title', type: 'text', required: true, localized: true, validation: { maxLength: 200 } },
    { guid: '31000000-0000-4000-8000-000000000002', name: 'heroImage', type: 'assets', required: false, localized: false },
  ],
};
export const assetFolder: AssetFolder = { kind: 'assetFolder', guid: '40000000-0000-4000-8000-000000000001', codeName: 'images', displayName: 'Images' };
export const asset: Asset = {
  kind: 'asset',
  guid: '50000000-0000-4000-8000-000000000001',
  codeName: 'espresso',
  folder: 'images',
  fileName: 'espresso.jpg',
  mediaType: 'image/jpeg',
  size: 3,
  sha256: '039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81',
  metadata: { 'en-US': { title: 'Espresso', alt: 'A cup' } },
};
export const item: ContentItem = {
  kind: 'contentItem',
  guid: '60000000-0000-4000-8000-000000000001',
  codeName: 'coffee-origins',
  contentType: 'article',
  workspace: 'editorial',
  fields: { heroImage: ['50000000-0000-4000-8000-000000000001'] },
  variants: {
    'en-US': { status: 'published', displayName: 'Coffee origins', fields: { title: 'Coffee origins', body: '<p>Beans.</p>\n<p>More.</p>' } },
    'es-ES': { status: 'draft', displayName: 'Orígenes del café', fields: { title: 'Orígenes del café' } },
  },
};
export const page: Page = {
  kind: 'page',
  guid: '70000000-0000-4000-8000-000000000001',
  codeName: 'home',
  contentType: 'article',
  channel: 'website',
  order: 0,
  fields: {},
  variants: { 'en-US': { status: 'published', displayName: 'Home', slug: 'home', fields: { title: 'Welcome' } } },
};

export const contentFolder: ContentFolder = { kind: 'contentFolder', guid: '80000000-0000-4000-8000-000000000001', codeName: 'events', displayName: 'Events', workspace: 'editorial' };

/** One object of every kind, in dependency order. */
export const everyKind: FerryObject[] = [language, workspace, channel, contentType, assetFolder, asset, contentFolder, item, page];

export function pathOf(o: FerryObject): string {
  switch (o.kind) {
    case 'language':
      return `content/languages/${o.codeName}.yaml`;
    case 'workspace':
      return `content/workspaces/${o.codeName}.yaml`;
    case 'channel':
      return `content/channels/${o.codeName}.yaml`;
    case 'contentType':
      return `content/content-types/${o.codeName}.yaml`;
    case 'assetFolder':
      return `content/assets/${o.codeName}/_folder.yaml`;
    case 'asset':
      return `content/assets/${o.folder}/${o.codeName}.yaml`;
    case 'contentFolder':
      return `content/items/${o.codeName}/_folder.yaml`;
    case 'contentItem':
      return `content/items/${o.contentType}/${o.codeName}.yaml`;
    case 'page':
      return `content/pages/${o.channel}/${o.codeName}.yaml`;
  }
}

/** A fake but well-formed git blob id, different per object and per `version`. */
export function hashOf(o: FerryObject, version = 1): string {
  let h = 0;
  for (const c of `${o.kind}:${o.codeName}:${version}`) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `${h.toString(16).padStart(8, '0')}${String(version).padStart(32, '0')}`;
}

export function put(o: FerryObject, version = 1): StoreWrite {
  return { op: 'put', object: o, path: pathOf(o), sourceHash: hashOf(o, version) };
}

export function newDeployment(over: Partial<NewDeployment> = {}): NewDeployment {
  return {
    environment: 'dev',
    source: 'commit',
    toCommit: 'a'.repeat(40),
    mode: 'CreateUpdate',
    actor: 'tester',
    startedAt: '2024-05-01T10:00:00.000Z',
    ...over,
  };
}

export const COUNTS = { create: 1, update: 0, delete: 0, rename: 0, publish: 0, unpublish: 0, skip: 0 };

/** A content item numbered `i`, about 1 KB of JSON, for bulk tests. */
export function bulkItem(i: number): ContentItem {
  const n = String(i).padStart(8, '0');
  return {
    kind: 'contentItem',
    guid: `${n}-0000-4000-8000-000000000000`,
    codeName: `item-${n}`,
    contentType: `type-${i % 20}`,
    workspace: 'editorial',
    fields: { rank: i },
    variants: {
      'en-US': {
        status: i % 3 === 0 ? 'draft' : 'published',
        displayName: `Item ${n}`,
        fields: { title: `Item ${n}`, body: `<p>${'Lorem ipsum dolor sit amet. '.repeat(25)}</p>` },
      },
    },
  };
}
