import { describe, expect, it } from 'vitest';
import type { ContentItem, Diagnostic } from '../model/index.js';
import { decodeFile } from './decode.js';
import { encodeObject } from './encode.js';
import { formatFile } from './fmt.js';
import { gitBlobOid } from './git-oid.js';

const OPTS = { folder: 'content', maxFileSize: 1 << 20 };
const PATH = 'content/items/article/coffee-origins.yaml';
const enc = (s: string) => new TextEncoder().encode(s);

const ITEM = [
  '# yaml-language-server: $schema=../../../schemas/content-item.schema.json', // 1
  'kind: contentItem', // 2
  'guid: 3f0c8a52-5b1e-4c3e-9a57-0d6f7c1e2b10', // 3
  'codeName: coffee-origins', // 4
  'contentType: article', // 5
  'workspace: editorial', // 6
  'variants:', // 7
  '  en-US:', // 8
  '    status: published', // 9
  '    displayName: Coffee origins', // 10
  '    fields:', // 11
  '      title: Coffee origins', // 12
  '',
].join('\n');

/** ITEM with line `n` (1-based) replaced by `lines` (or removed). */
function edit(n: number, ...lines: string[]): string {
  const all = ITEM.split('\n');
  all.splice(n - 1, 1, ...lines);
  return all.join('\n');
}

function diagnosticsOf(text: string, path = PATH, opts = OPTS): Diagnostic[] {
  const r = decodeFile({ path, bytes: enc(text) }, opts);
  if (r.ok) throw new Error('expected diagnostics');
  return r.diagnostics;
}

describe('decodeFile', () => {
  it('returns a snapshot entry with key, kind, code name, path, hash and defaults filled', () => {
    const bytes = enc(ITEM);
    const r = decodeFile({ path: PATH, bytes }, OPTS);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.entry).toMatchObject({
      key: '3f0c8a52-5b1e-4c3e-9a57-0d6f7c1e2b10',
      kind: 'contentItem',
      codeName: 'coffee-origins',
      path: PATH,
      hash: gitBlobOid(bytes),
    });
    const item = r.entry.object as ContentItem;
    expect(item.fields).toEqual({});
    expect(item.variants['en-US'].fields).toEqual({ title: 'Coffee origins' });
  });

  it('uses the oid it is given instead of hashing', () => {
    const r = decodeFile({ path: PATH, bytes: enc(ITEM), oid: 'f'.repeat(40) }, OPTS);
    expect(r.ok && r.entry.hash).toBe('f'.repeat(40));
  });

  it('keys languages by code', () => {
    const text = 'kind: language\ncodeName: en-US\ndisplayName: English\nisDefault: true\n';
    const r = decodeFile({ path: 'content/languages/en-US.yaml', bytes: enc(text) }, OPTS);
    expect(r.ok && r.entry.key).toBe('language:en-US');
  });

  it('fills empty variant fields and asset metadata', () => {
    const noFields = ITEM.split('\n').slice(0, 10).join('\n') + '\n';
    const r = decodeFile({ path: PATH, bytes: enc(noFields) }, OPTS);
    expect(r.ok && (r.entry.object as ContentItem).variants['en-US']).toEqual({
      status: 'published',
      displayName: 'Coffee origins',
      fields: {},
    });
    const asset = [
      'kind: asset',
      'guid: 9b2d4a8e-1c7f-4e55-8d0a-2f3b6c9e1a44',
      'codeName: espresso',
      'folder: photos',
      'fileName: espresso.jpg',
      'mediaType: image/jpeg',
      'size: 3',
      `sha256: ${'ab'.repeat(32)}`,
      '',
    ].join('\n');
    const a = decodeFile({ path: 'content/assets/photos/espresso.yaml', bytes: enc(asset) }, OPTS);
    expect(a.ok && a.entry.object).toMatchObject({ kind: 'asset', metadata: {} });
  });

  it('reports a wrong type with the line of the value', () => {
    const [d] = diagnosticsOf(edit(6, 'workspace: 12'));
    expect(d).toMatchObject({ code: 'FERRY_E_SCHEMA', file: PATH, line: 6, column: 12, pointer: '/workspace' });
    expect(d.message).toBe('`workspace` must be a string (found `12`)');
    expect(d.object).toEqual({ kind: 'contentItem', guid: '3f0c8a52-5b1e-4c3e-9a57-0d6f7c1e2b10', codeName: 'coffee-origins' });
  });

  it('reports an unknown key at the key', () => {
    const [d] = diagnosticsOf(edit(10, '    displayName: Coffee origins', '    colour: brown'));
    expect(d).toMatchObject({ code: 'FERRY_E_SCHEMA', line: 11, column: 5 });
    expect(d.message).toBe('unknown key `colour` in `variants.en-US`');
  });

  it('reports a missing key at its parent', () => {
    const [top] = diagnosticsOf(edit(3));
    expect(top.message).toBe('missing required key `guid`');
    expect(top).toMatchObject({ code: 'FERRY_E_SCHEMA', line: 2, column: 1 });
    const [inVariant] = diagnosticsOf(edit(9));
    expect(inVariant.message).toBe('missing required key `status` in `variants.en-US`');
    expect(inVariant.line).toBe(8);
  });

  it('names the allowed values of an enum', () => {
    const [d] = diagnosticsOf(edit(9, '    status: live'));
    expect(d.message).toBe('`variants.en-US.status` must be one of draft, published, unpublished (found `live`)');
    expect([d.line, d.column]).toEqual([9, 13]);
  });

  it('reports every problem of a file (allErrors), in file order', () => {
    const ds = diagnosticsOf(edit(9, '    status: live', '    colour: brown'));
    expect(ds.map((d) => d.line)).toEqual([9, 10]);
  });

  it('refuses code names with `/`, `..` or upper case', () => {
    for (const bad of ['a/b', '..', 'Coffee', '../../etc/passwd']) {
      const ds = diagnosticsOf(edit(5, `contentType: "${bad}"`));
      expect(ds[0].code, bad).toBe('FERRY_E_SCHEMA');
      expect(ds[0].message, bad).toContain('`contentType` must be a code name');
      expect(ds[0].line).toBe(5);
    }
  });

  it('refuses bad keys of value maps', () => {
    const [d] = diagnosticsOf(edit(12, '      not-a-field: x'));
    expect(d.message).toBe('key `not-a-field` in `variants.en-US.fields` must be a field name: a letter, then letters, digits or `_`');
    expect([d.line, d.column]).toEqual([12, 7]);
    const [lang] = diagnosticsOf(edit(8, '  EN_us:'));
    expect(lang.message).toContain('key `EN_us` in `variants` must be a language code');
  });

  it('refuses a file whose path does not match its code names', () => {
    const [d] = diagnosticsOf(ITEM, 'content/items/recipe/coffee-origins.yaml');
    expect(d.code).toBe('FERRY_E_PATH');
    expect(d.message).toBe(`the item's contentType \`article\` does not match its folder \`content/items/recipe/\`: it belongs at \`${PATH}\``);
    // At the contentType line, naming the type: validation says "no such type" when it does not exist.
    expect(d.line).toBe(5);
    expect(d.names).toEqual({ kind: 'contentType', codeName: 'article' });
    const [renamed] = diagnosticsOf(ITEM, 'content/items/article/old-name.yaml');
    expect(renamed.message).toContain(`it belongs at \`${PATH}\``);
  });

  it('refuses a file in the wrong kind folder', () => {
    const [d] = diagnosticsOf(ITEM, 'content/pages/website/coffee-origins.yaml');
    expect(d.code).toBe('FERRY_E_PATH');
    expect(d.message).toBe(
      `the file holds a contentItem but sits in \`pages/\` as a page: it belongs at \`${PATH}\``,
    );
    expect(d.line).toBe(2);
  });

  it('refuses path tricks and names that are not code names, saying where the file belongs', () => {
    const [upper] = diagnosticsOf(ITEM, 'content/items/Article/coffee-origins.yaml');
    expect(upper.code).toBe('FERRY_E_PATH');
    expect(upper.message).toContain('code names are lower case');
    expect(upper.message).toContain(`belongs at \`${PATH}\``);
    const [dots] = diagnosticsOf(ITEM, 'content/items/../items/article/coffee-origins.yaml');
    expect(dots.code).toBe('FERRY_E_PATH');
    expect(dots.message).toContain('`..`');
  });

  it('refuses files that are not object files', () => {
    for (const p of ['content/assets/photos/x.jpg', 'content/README.md', 'other/x.yaml', 'content/notes.txt']) {
      const ds = diagnosticsOf(ITEM, p);
      expect(ds.map((d) => d.code), p).toEqual(['FERRY_E_PATH']);
    }
  });

  it('passes YAML errors and limits through', () => {
    expect(diagnosticsOf('kind: [\n')[0].code).toBe('FERRY_E_YAML');
    expect(diagnosticsOf(ITEM, PATH, { ...OPTS, maxFileSize: 10 })[0].code).toBe('FERRY_E_YAML_LIMIT');
  });

  it('refuses an empty file or a non-map', () => {
    expect(diagnosticsOf('')[0].message).toBe('the file must be a map of keys to values (found `undefined`)');
    expect(diagnosticsOf('- a\n')[0].message).toBe('the file must be a map of keys to values (found a list)');
  });

  it('explains a missing or unknown kind when the path does not say', () => {
    const ds = diagnosticsOf('guid: x\n', 'content/items/x.yaml');
    expect(ds.map((d) => d.code)).toEqual(['FERRY_E_SCHEMA', 'FERRY_E_PATH']);
    expect(ds[0].message).toContain('missing required key `kind`');
    const [wrongKind] = diagnosticsOf(edit(2, 'kind: article'));
    expect(wrongKind.message).toBe('`kind` must be `contentItem` (found `article`)');
  });

  it('accepts a hand-edited file (any key order, flow style, quotes); fmt rewrites it canonically', () => {
    const hand = [
      'variants: {en-US: {displayName: "Coffee origins", status: published, fields: {title: \'Coffee origins\'}}}',
      "codeName: 'coffee-origins'",
      'kind: contentItem',
      'workspace: editorial',
      'contentType: article',
      'guid: "3f0c8a52-5b1e-4c3e-9a57-0d6f7c1e2b10"',
      'fields: {}',
    ].join('\r\n');
    const r = decodeFile({ path: PATH, bytes: enc(hand) }, OPTS);
    expect(r.ok).toBe(true);
    const f = formatFile({ path: PATH, bytes: enc(hand) }, OPTS);
    expect(f.ok && f.changed).toBe(true);
    expect(f.ok && new TextDecoder().decode(f.bytes)).toBe(ITEM);
    const again = formatFile({ path: PATH, bytes: enc(ITEM) }, OPTS);
    expect(again.ok && again.changed).toBe(false);
    expect(r.ok && encodeObject(r.entry.object, PATH)).toEqual(enc(ITEM));
  });

  it('fmt passes diagnostics through', () => {
    const f = formatFile({ path: PATH, bytes: enc(edit(9, '    status: live')) }, OPTS);
    expect(f.ok).toBe(false);
    expect(!f.ok && f.diagnostics[0].code).toBe('FERRY_E_SCHEMA');
  });
});
