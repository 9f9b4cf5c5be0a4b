import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { FerryObject } from '../model/index.js';
import { decodeFile } from './decode.js';
import { encodeObject } from './encode.js';
import { objectPath } from './layout.js';

const goldenDir = fileURLToPath(new URL('../../test/golden/format/', import.meta.url));
const FOLDER = 'content';

/** Hand-checked canonical files (test/golden/format/<name>.yaml) and the objects they hold. */
const GOLDEN: Record<string, FerryObject> = {
  'language-en-US': { kind: 'language', codeName: 'en-US', displayName: 'English (United States)', isDefault: true },
  'language-es-ES': { kind: 'language', codeName: 'es-ES', displayName: 'Español (España)', isDefault: false, fallback: 'en-US' },
  workspace: { kind: 'workspace', guid: '0b7e5c9a-1d2f-4a3b-8c4d-5e6f7a8b9c0d', codeName: 'editorial', displayName: 'Editorial' },
  channel: {
    kind: 'channel',
    guid: '5a4f3e2d-1c0b-4a9f-8e7d-6c5b4a3f2e1d',
    codeName: 'website',
    displayName: 'Coffee site',
    type: 'website',
    primaryLanguage: 'en-US',
    languages: ['en-US', 'es-ES'],
    domains: ['coffee.example.com', 'localhost:4321'],
  },
  'content-type': {
    kind: 'contentType',
    guid: '7c6b5a49-3827-4165-a4b3-c2d1e0f9a8b7',
    codeName: 'article',
    displayName: 'Article',
    usage: 'reusable',
    description: 'A long read.\nShown on the blog and in the newsletter.\n',
    fields: [
      {
        guid: '11111111-2222-4333-8444-555555555555',
        name: 'title',
        label: 'Title',
        type: 'text',
        required: true,
        localized: true,
        validation: { maxLength: 120, minLength: 1 },
      },
      { guid: '22222222-3333-4444-8555-666666666666', name: 'body', type: 'richText', format: 'markdown', required: false, localized: true },
      {
        guid: '33333333-4444-4555-8666-777777777777',
        name: 'heroImage',
        type: 'assets',
        required: false,
        localized: false,
        validation: { maxItems: 1 },
      },
      {
        guid: '44444444-5555-4666-8777-888888888888',
        name: 'related',
        type: 'contentItems',
        required: false,
        localized: false,
        validation: { allowedTypes: ['article', 'recipe'], pattern: '^x: y$' },
      },
    ],
  },
  'asset-folder': { kind: 'assetFolder', guid: '9e8d7c6b-5a49-4382-a716-0f9e8d7c6b5a', codeName: 'photos', displayName: 'Photos' },
  asset: {
    kind: 'asset',
    guid: '9b2d4a8e-1c7f-4e55-8d0a-2f3b6c9e1a44',
    codeName: 'espresso',
    folder: 'photos',
    fileName: 'espresso.jpg',
    mediaType: 'image/jpeg',
    size: 48213,
    sha256: '2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae',
    metadata: { 'es-ES': { title: 'Espresso' }, 'en-US': { title: 'Espresso', alt: 'A cup of espresso: dark, with crema' } },
  },
  'content-item': {
    kind: 'contentItem',
    guid: '3f0c8a52-5b1e-4c3e-9a57-0d6f7c1e2b10',
    codeName: 'coffee-origins',
    contentType: 'article',
    workspace: 'editorial',
    fields: {
      heroImage: ['9b2d4a8e-1c7f-4e55-8d0a-2f3b6c9e1a44'],
      settings: { theme: 'dark', columns: 2, ratio: 0.5, flags: [true, null, 'yes'], nested: { b: '', a: '123' } },
    },
    variants: {
      'es-ES': { status: 'draft', displayName: 'Orígenes del café', fields: { title: 'Orígenes del café' } },
      'en-US': {
        status: 'published',
        displayName: 'Coffee origins',
        fields: {
          title: 'Coffee origins',
          body: '<p>Coffee grows in the bean belt.</p>\n<p>Ethiopia is where it began.</p>\n',
          published: '2024-05-01',
          subtitle: 'true',
          tagline: '# not a heading',
          quote: 'He said: "brew it"',
          code: '  indented first line\nthen flush',
        },
      },
    },
  },
  page: {
    kind: 'page',
    guid: '6d5c4b3a-2918-4706-b5f4-e3d2c1b0a9f8',
    codeName: 'about',
    contentType: 'landing',
    channel: 'website',
    parent: '1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d',
    order: 2,
    fields: {},
    variants: {
      'en-US': { status: 'published', displayName: 'About us', slug: 'about-us', fields: { intro: 'We roast.\n\n' } },
      'es-ES': { status: 'unpublished', displayName: 'Sobre nosotros', slug: 'sobre-nosotros', fields: {} },
    },
  },
};

// `FERRY_WRITE_GOLDEN=1` rewrites the golden files from the objects: review the diff by hand.
describe('golden canonical files', () => {
  for (const [name, object] of Object.entries(GOLDEN)) {
    it(`${name}: encodeObject gives test/golden/format/${name}.yaml byte for byte, and it decodes back`, () => {
      const path = objectPath(object, FOLDER);
      if (process.env.FERRY_WRITE_GOLDEN === '1') {
        mkdirSync(goldenDir, { recursive: true });
        writeFileSync(`${goldenDir}${name}.yaml`, encodeObject(object, path));
      }
      const golden = readFileSync(`${goldenDir}${name}.yaml`);
      const bytes = encodeObject(object, path);
      expect(Buffer.from(bytes).toString('utf8')).toBe(golden.toString('utf8'));
      expect(Buffer.compare(Buffer.from(bytes), golden)).toBe(0);
      const decoded = decodeFile({ path, bytes: new Uint8Array(golden) }, { folder: FOLDER, maxFileSize: 1 << 20 });
      expect(decoded.ok && decoded.entry.object).toEqual(object);
    });
  }
});
