import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ContentType } from '../model/objects.js';
import { fieldValidators } from '../validate/field-schema.js';
import { openValidatorCodeCache } from './validator-code-cache.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'ferry-cache-'));
  dirs.push(d);
  return d;
};

const type = (n: number): ContentType => ({
  kind: 'contentType',
  guid: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  codeName: 'note',
  displayName: 'Note',
  usage: 'reusable',
  fields: [
    { guid: '11111111-0000-4000-8000-000000000001', name: 'title', type: 'text', required: true, localized: true, validation: { maxLength: 5 } },
    { guid: '11111111-0000-4000-8000-000000000002', name: 'link', type: 'url', required: false, localized: false },
  ],
});

describe('the validator code cache on disk', () => {
  it('keeps compiled validators that a later process loads and that report the same errors', () => {
    const dir = tempDir();
    const compiled = fieldValidators(type(1), openValidatorCodeCache(dir));
    const files = readdirSync(join(dir, 'validators'), { recursive: true }).map(String).filter((f) => f.endsWith('.cjs'));
    expect(files).toHaveLength(2);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toContain('*');

    // A new type guid misses the in-process cache, as a new process would.
    const cache = openValidatorCodeCache(dir);
    let saves = 0;
    const loaded = fieldValidators(type(2), { load: (k) => cache.load(k), save: () => void (saves += 1) });
    expect(saves).toBe(0);
    expect(loaded.localized).not.toBe(compiled.localized);
    for (const value of [{ title: 'toolong' }, {}, { title: 'ok' }]) {
      expect(loaded.localized(value)).toBe(compiled.localized(value));
      expect(loaded.localized.errors ?? null).toEqual(compiled.localized.errors ?? null);
    }
    expect(loaded.shared({ link: 'not a url' })).toBe(false);
    expect(loaded.shared.errors?.[0]).toMatchObject({ keyword: 'pattern', instancePath: '/link' });
  });

  it('treats a damaged entry as missing, and compiles again', () => {
    const dir = tempDir();
    fieldValidators(type(3), openValidatorCodeCache(dir));
    const folder = join(dir, 'validators', readdirSync(join(dir, 'validators'))[0]);
    for (const f of readdirSync(folder)) writeFileSync(join(folder, f), 'this is not javascript {');
    const cache = openValidatorCodeCache(dir);
    const key = readdirSync(folder)[0].replace(/\.cjs$/, '');
    expect(cache.load(key)).toBeUndefined();
    const v = fieldValidators(type(4), cache);
    expect(v.localized({})).toBe(false);
    expect(readFileSync(join(folder, `${key}.cjs`), 'utf8')).toContain('module.exports');
  });

  it('never fails a run when the folder cannot be written', () => {
    const parent = tempDir();
    chmodSync(parent, 0o500);
    try {
      const v = fieldValidators(type(5), openValidatorCodeCache(join(parent, 'cache')));
      expect(v.localized({ title: 'ok' })).toBe(true);
    } finally {
      chmodSync(parent, 0o700);
    }
  });
});
