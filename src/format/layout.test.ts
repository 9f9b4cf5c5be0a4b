import { describe, expect, it } from 'vitest';
import { FerryError } from '../errors/index.js';
import type { Asset, ContentItem, FerryObject } from '../model/index.js';
import { assetBinaryPath, classifyPath, folderPrefix, objectPath, schemaRef } from './layout.js';

const G = '3f0c8a52-5b1e-4c3e-9a57-0d6f7c1e2b10';
const item: ContentItem = {
  kind: 'contentItem',
  guid: G,
  codeName: 'coffee-origins',
  contentType: 'article',
  workspace: 'editorial',
  fields: {},
  variants: {},
};
const asset: Asset = {
  kind: 'asset',
  guid: G,
  codeName: 'espresso',
  folder: 'photos',
  fileName: 'Espresso_01.JPG',
  mediaType: 'image/jpeg',
  size: 1,
  sha256: 'a'.repeat(64),
  metadata: {},
};

describe('objectPath', () => {
  const cases: Array<[FerryObject, string]> = [
    [{ kind: 'language', codeName: 'en-US', displayName: 'English', isDefault: true }, 'languages/en-US.yaml'],
    [{ kind: 'workspace', guid: G, codeName: 'editorial', displayName: 'E' }, 'workspaces/editorial.yaml'],
    [
      { kind: 'channel', guid: G, codeName: 'web', displayName: 'W', type: 'website', languages: ['en'], primaryLanguage: 'en' },
      'channels/web.yaml',
    ],
    [{ kind: 'contentType', guid: G, codeName: 'article', displayName: 'A', usage: 'reusable', fields: [] }, 'content-types/article.yaml'],
    [{ kind: 'assetFolder', guid: G, codeName: 'photos', displayName: 'P' }, 'assets/photos/_folder.yaml'],
    [asset, 'assets/photos/espresso.yaml'],
    [item, 'items/article/coffee-origins.yaml'],
    [
      { kind: 'page', guid: G, codeName: 'about', contentType: 'landing', channel: 'web', order: 0, fields: {}, variants: {} },
      'pages/web/about.yaml',
    ],
  ];
  for (const [object, rel] of cases) {
    it(`${object.kind} → ${rel} (under content/, the root, and a nested folder)`, () => {
      expect(objectPath(object, 'content')).toBe(`content/${rel}`);
      expect(objectPath(object, '.')).toBe(rel);
      expect(objectPath(object, './')).toBe(rel);
      expect(objectPath(object, 'sites/main/content/')).toBe(`sites/main/content/${rel}`);
      expect(classifyPath(objectPath(object, 'content'), 'content')).toEqual({ type: 'object', kind: object.kind, codeName: object.codeName });
      expect(classifyPath(rel, '.')).toEqual({ type: 'object', kind: object.kind, codeName: object.codeName });
    });
  }

  it('refuses code names that would escape or bend the path', () => {
    for (const bad of ['../etc', 'a/b', 'Upper', '', '.hidden', 'a\\b']) {
      expect(() => objectPath({ ...item, codeName: bad }, 'content'), bad).toThrow(FerryError);
      expect(() => objectPath({ ...item, contentType: bad }, 'content'), bad).toThrow(/cannot be used in a file path/);
    }
    expect(() => objectPath({ kind: 'language', codeName: '../x', displayName: 'x', isDefault: false }, 'content')).toThrow(FerryError);
  });
});

describe('assetBinaryPath', () => {
  it('puts the binary beside the asset file', () => {
    expect(assetBinaryPath(asset, 'content')).toBe('content/assets/photos/Espresso_01.JPG');
    expect(classifyPath(assetBinaryPath(asset, 'content'), 'content')).toEqual({ type: 'binary' });
  });
  it('refuses file names that are not plain file names', () => {
    for (const fileName of ['../x.jpg', 'a/b.jpg', '.hidden.jpg', 'x.yaml', 'x.YML', 'README.md', 'noext', 'with space.jpg']) {
      expect(() => assetBinaryPath({ ...asset, fileName }, 'content'), fileName).toThrow(FerryError);
    }
  });
});

describe('classifyPath', () => {
  const F = 'content';
  it('tells files outside the folder', () => {
    expect(classifyPath('README.md', F)).toEqual({ type: 'outside' });
    expect(classifyPath('src/index.ts', F)).toEqual({ type: 'outside' });
    expect(classifyPath('content2/items/a/b.yaml', F)).toEqual({ type: 'outside' });
    // at the repository root only the kind folders are Ferry's
    expect(classifyPath('repository.config.yaml', '.')).toEqual({ type: 'outside' });
    expect(classifyPath('schemas/page.schema.json', '.')).toEqual({ type: 'outside' });
    expect(classifyPath('.github/workflows/x.yaml', '.')).toEqual({ type: 'outside' });
  });

  it('ignores README.md and dotfiles', () => {
    expect(classifyPath('content/README.md', F)).toEqual({ type: 'ignored' });
    expect(classifyPath('content/items/README.md', F)).toEqual({ type: 'ignored' });
    expect(classifyPath('content/.gitkeep', F)).toEqual({ type: 'ignored' });
    expect(classifyPath('content/items/article/.DS_Store', F)).toEqual({ type: 'ignored' });
    expect(classifyPath('content/.drafts/x.yaml', F)).toEqual({ type: 'ignored' });
  });

  it('classifies binaries and asset files', () => {
    expect(classifyPath('content/assets/photos/espresso.jpg', F)).toEqual({ type: 'binary' });
    expect(classifyPath('content/assets/photos/espresso.yaml', F)).toEqual({ type: 'object', kind: 'asset', codeName: 'espresso' });
    expect(classifyPath('content/assets/photos/_folder.yaml', F)).toEqual({ type: 'object', kind: 'assetFolder', codeName: 'photos' });
  });

  it('rejects path tricks', () => {
    const tricks = [
      '/content/items/a/b.yaml',
      'C:/content/items/a/b.yaml',
      'content\\items\\a\\b.yaml',
      'content/items/../items/a/b.yaml',
      'content/./items/a/b.yaml',
      'content//items/a/b.yaml',
      'content/items/a/',
      '../content/items/a/b.yaml',
      'content/items/a/b\u0000.yaml',
      '',
    ];
    for (const p of tricks) expect(classifyPath(p, F).type, JSON.stringify(p)).toBe('unknown');
  });

  it('rejects names that are not code names, with the reason', () => {
    const reason = (p: string) => {
      const c = classifyPath(p, F);
      return c.type === 'unknown' ? c.reason : `not unknown: ${c.type}`;
    };
    expect(reason('content/items/Article/x.yaml')).toContain('code names are lower case');
    expect(reason('content/items/article/Coffee.yaml')).toContain('code names are lower case');
    expect(reason('content/workspaces/my space.yaml')).toContain('not a valid code name');
    expect(reason('content/languages/EN.yaml')).toContain('language code');
    expect(reason('content/items/article/x.yml')).toContain('`.yaml`');
    expect(reason('content/items/article/x.YAML')).toContain('`.yaml`');
    expect(reason('content/items/article/x.json')).toContain('end in `.yaml`');
    expect(reason('content/items/x.yaml')).toContain('items/<contentType>/<codeName>.yaml');
    // Deeper item paths are items in nested content folders (issue 13): see 'content folders' below.
    expect(reason('content/items/a/B/c.yaml')).toContain('not a valid content folder');
    expect(reason('content/pages/x.yaml')).toContain('pages/<channel>/<codeName>.yaml');
    expect(reason('content/workspaces/a/b.yaml')).toContain('workspaces/<codeName>.yaml');
    expect(reason('content/assets/x.jpg')).toContain('assets/<folder>/');
    expect(reason('content/assets/photos/my photo.jpg')).toContain('not a valid asset file name');
    expect(reason('content/assets/Photos/x.jpg')).toContain('lower case');
    expect(reason('content/stuff/x.yaml')).toContain('not a Ferry folder');
    expect(reason('content/notes.txt')).toContain('belong in the repository folder');
  });
});

describe('schemaRef and folderPrefix', () => {
  it('climbs from the file folder to the repository root', () => {
    expect(schemaRef('contentItem', 'content/items/article/x.yaml')).toBe('../../../schemas/content-item.schema.json');
    expect(schemaRef('language', 'languages/en.yaml')).toBe('../schemas/language.schema.json');
    expect(schemaRef('assetFolder', 'a/b/content/assets/p/_folder.yaml')).toBe('../../../../../schemas/asset-folder.schema.json');
  });
  it('normalizes the folder', () => {
    expect(folderPrefix('.')).toBe('');
    expect(folderPrefix('')).toBe('');
    expect(folderPrefix('./content/')).toBe('content/');
    expect(folderPrefix('content')).toBe('content/');
  });
});

describe('content folders', () => {
  const events = { kind: 'contentFolder' as const, guid: G, codeName: 'events', displayName: 'Events', workspace: 'editorial' };
  const year = { ...events, guid: '3f0c8a52-5b1e-4c3e-9a57-0d6f7c1e2b11', codeName: '2026', parent: G };
  const paths = (ref: string) => (ref === G || ref === 'events' ? 'events' : ref === year.guid || ref === 'events/2026' ? 'events/2026' : undefined);

  it('puts a folder at items/<folder path>/_folder.yaml and its items beside it, by guid or by code-name path', () => {
    expect(objectPath(events, 'content', paths)).toBe('content/items/events/_folder.yaml');
    expect(objectPath(year, 'content', paths)).toBe('content/items/events/2026/_folder.yaml');
    expect(objectPath({ ...item, folder: year.guid }, 'content', paths)).toBe('content/items/events/2026/coffee-origins.yaml');
    expect(objectPath({ ...item, folder: 'events/2026' }, '.', paths)).toBe('items/events/2026/coffee-origins.yaml');
  });

  it('classifies folder files and items at any depth', () => {
    expect(classifyPath('content/items/events/2026/_folder.yaml', 'content')).toEqual({ type: 'object', kind: 'contentFolder', codeName: '2026' });
    expect(classifyPath('content/items/a/b/c/d/x.yaml', 'content')).toEqual({ type: 'object', kind: 'contentItem', codeName: 'x' });
    expect(classifyPath('content/items/events/_folder.yaml', 'content')).toEqual({ type: 'object', kind: 'contentFolder', codeName: 'events' });
  });

  it('refuses to place an object whose folder path is unknown (no tree, a broken chain)', () => {
    expect(() => objectPath(year, 'content')).toThrow(/parent `3f0c8a52-5b1e-4c3e-9a57-0d6f7c1e2b10` is not a content folder with a known path/);
    expect(() => objectPath({ ...item, folder: 'nowhere' }, 'content', paths)).toThrow(FerryError);
  });
});
