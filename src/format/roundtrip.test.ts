import fc from 'fast-check';
import { CORE_SCHEMA, load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type FerryObject } from '../model/index.js';
import { decodeFile } from './decode.js';
import { encodeObject, encodeObjectText } from './encode.js';
import { formatFile } from './fmt.js';
import { objectPath } from './layout.js';
import { stringStyle } from './scalar-style.js';
import { ferryObject, fieldValue, trickyString } from './test-support/arbitraries.js';

const FOLDERS = ['content', '.', 'sites/main/content'];
const opts = (folder: string) => ({ folder, maxFileSize: 1_000_000 });
const RUNS = { numRuns: Number(process.env.FERRY_FC_RUNS ?? 300) };

function encodeAt(o: FerryObject, folder: string): { path: string; bytes: Uint8Array; text: string } {
  const path = objectPath(o, folder);
  return { path, bytes: encodeObject(o, path), text: encodeObjectText(o, path) };
}

describe('canonical encoding round trip (property)', () => {
  it('decode(encode(x)) equals x, for every kind and folder', () => {
    fc.assert(
      fc.property(ferryObject, fc.constantFrom(...FOLDERS), (o, folder) => {
        const { path, bytes } = encodeAt(o, folder);
        const decoded = decodeFile({ path, bytes }, opts(folder));
        if (!decoded.ok) throw new Error(`${JSON.stringify(decoded.diagnostics)}\n${new TextDecoder().decode(bytes)}`);
        expect(decoded.entry.object).toEqual(o);
        expect(decoded.entry.path).toBe(path);
        expect(decoded.entry.kind).toBe(o.kind);
      }),
      RUNS,
    );
  });

  it('encode(decode(encode(x))) is byte-identical, and fmt reports no change', () => {
    fc.assert(
      fc.property(ferryObject, fc.constantFrom(...FOLDERS), (o, folder) => {
        const { path, bytes } = encodeAt(o, folder);
        const decoded = decodeFile({ path, bytes }, opts(folder));
        if (!decoded.ok) throw new Error(JSON.stringify(decoded.diagnostics));
        expect(encodeObject(decoded.entry.object, path)).toEqual(bytes);
        const formatted = formatFile({ path, bytes }, opts(folder));
        expect(formatted.ok && formatted.changed).toBe(false);
      }),
      RUNS,
    );
  });

  it('js-yaml CORE_SCHEMA and yaml (core schema) read every encoded file as the same value', () => {
    fc.assert(
      fc.property(ferryObject, (o) => {
        const { text } = encodeAt(o, 'content');
        const a = load(text, { schema: CORE_SCHEMA });
        const b = parse(text, { schema: 'core', uniqueKeys: true });
        expect(b).toEqual(a);
      }),
      RUNS,
    );
  });

  it('encoded text is LF-only, two-space indented, ends with one newline and has the schema header', () => {
    fc.assert(
      fc.property(ferryObject, (o) => {
        const { text, path } = encodeAt(o, 'content');
        expect(text.includes('\r')).toBe(false);
        expect(text.endsWith('\n')).toBe(true);
        expect(text.split('\n')[0]).toMatch(/^# yaml-language-server: \$schema=(\.\.\/)+schemas\/[a-z-]+\.schema\.json$/);
        expect(text.split('\n')[0].split('../').length - 1).toBe(path.split('/').length - 1);
        // no other comment lines (a `#` line could only be inside a block literal, which is indented)
        for (const l of text.split('\n').slice(1)) expect(l).not.toMatch(/^#/);
        // indentation is made of spaces
        for (const l of text.split('\n')) expect(l.startsWith('\t')).toBe(false);
      }),
      { numRuns: 100 },
    );
  });

  it('any single string value survives both readers, whatever style it gets', () => {
    fc.assert(
      fc.property(trickyString, fieldValue, (s, v) => {
        const o: FerryObject = {
          kind: 'contentItem',
          guid: '3f0c8a52-5b1e-4c3e-9a57-0d6f7c1e2b10',
          codeName: 'x',
          contentType: 't',
          workspace: 'w',
          fields: { a: s, b: v, c: { [s]: s } },
          variants: { en: { status: 'draft', displayName: 'x', fields: {} } },
        };
        const { text } = encodeAt(o, 'content');
        const expected = { a: s, b: v, c: { [s]: s } };
        expect((load(text, { schema: CORE_SCHEMA }) as ContentFields).fields).toEqual(expected);
        expect((parse(text, { schema: 'core' }) as ContentFields).fields).toEqual(expected);
      }),
      { numRuns: Number(process.env.FERRY_FC_RUNS ?? 300) * 3 },
    );
  });
});

type ContentFields = { fields: Record<string, unknown> };

describe('string styles', () => {
  it('writes plain what core schema reads as the same string, quotes the rest', () => {
    expect(stringStyle('Coffee origins')).toBe('PLAIN');
    expect(stringStyle('2024-05-01')).toBe('PLAIN');
    expect(stringStyle('2024-05-01T10:00:00Z')).toBe('PLAIN');
    expect(stringStyle('café')).toBe('PLAIN');
    for (const s of ['true', 'False', 'null', '~', '', '123', '-1.5', '1e3', '0x1F', '0o17', '0b101', '.inf', '.nan']) {
      expect(stringStyle(s), s).toBe('QUOTE_DOUBLE');
    }
    for (const s of [': x', 'a: b', 'a #b', '#x', '- x', '-x', ' lead', 'trail ', 'tab\tx', '"q"', "'q'", '&a', '*a', '!t', '%p', '@a', '`b`', '---', '...']) {
      expect(stringStyle(s), s).toBe('QUOTE_DOUBLE');
    }
    expect(stringStyle('a\nb')).toBe('BLOCK_LITERAL');
    expect(stringStyle('a\nb', true)).toBe('QUOTE_DOUBLE');
    expect(stringStyle('a\r\nb')).toBe('QUOTE_DOUBLE');
    expect(stringStyle('a\u0085b')).toBe('QUOTE_DOUBLE');
  });
});
