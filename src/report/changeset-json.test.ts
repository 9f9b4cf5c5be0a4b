import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { representativeChangeset } from '../diff/test-support/representative.js';
import { CHANGESET_SCHEMA_ID, changesetToJson, renderChangesetJson } from './changeset-json.js';

const schema = JSON.parse(readFileSync(new URL('../../schemas/changeset.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: true, strictRequired: false }).compile(schema);

describe('renderChangesetJson', () => {
  const cs = representativeChangeset();
  const text = renderChangesetJson(cs);
  const doc = JSON.parse(text);

  it('matches schemas/changeset.schema.json', () => {
    expect(schema.$id).toBe(CHANGESET_SCHEMA_ID);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(JSON.parse(renderChangesetJson({ changes: [] })))).toBe(true);
  });

  it('is 2-space JSON with a final newline, keys in a fixed order', () => {
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "formatVersion": 1,\n');
    expect(Object.keys(doc)).toEqual(['formatVersion', 'base', 'head', 'summary', 'changes']);
    const rename = doc.changes.find((c: { op: string }) => c.op === 'rename');
    expect(Object.keys(rename)).toEqual(['op', 'kind', 'key', 'guid', 'codeName', 'path', 'fromPath', 'fromCodeName', 'contentType', 'hash', 'fromHash', 'fields']);
    const lang = doc.changes.find((c: { kind: string }) => c.kind === 'language');
    expect(Object.keys(lang)).toEqual(['op', 'kind', 'key', 'codeName', 'path', 'hash', 'fields']);
  });

  it('carries field changes, omitting an absent side and sorting keys inside values', () => {
    const type = doc.changes.find((c: { kind: string }) => c.kind === 'contentType');
    expect(type.fields).toHaveLength(1);
    expect(Object.keys(type.fields[0])).toEqual(['path', 'name', 'after']);
    expect(Object.keys(type.fields[0].after)).toEqual(['guid', 'localized', 'name', 'required', 'type', 'validation']);
    const origins = doc.changes.find((c: { codeName: string }) => c.codeName === 'coffee-origins');
    expect(origins.fields.find((f: { path: string }) => f.path === 'variants.es-ES.status')).toEqual({
      path: 'variants.es-ES.status',
      name: 'status',
      language: 'es-ES',
      before: 'draft',
      after: 'published',
    });
  });

  it('summarizes per kind with every kind present', () => {
    expect(doc.summary).toMatchObject({ objects: 9, create: 2, update: 5, rename: 1, delete: 1 });
    expect(Object.keys(doc.summary.byKind)).toEqual(['language', 'workspace', 'channel', 'contentType', 'assetFolder', 'asset', 'contentFolder', 'contentItem', 'page']);
    expect(changesetToJson({ changes: [] })).toMatchObject({ base: null, head: null, changes: [] });
  });

  it('the schema refuses documents that break the contract', () => {
    const broken = (mutate: (d: any) => void) => {
      const d = structuredClone(doc);
      mutate(d);
      return validate(d);
    };
    expect(broken(() => {})).toBe(true);
    expect(broken((d) => (d.formatVersion = 2))).toBe(false);
    expect(broken((d) => delete d.changes.find((c: any) => c.op === 'rename').fromPath)).toBe(false);
    expect(broken((d) => (d.changes.find((c: any) => c.op === 'update').fromPath = 'x'))).toBe(false);
    expect(broken((d) => delete d.changes.find((c: any) => c.kind === 'contentItem').guid)).toBe(false);
    expect(broken((d) => (d.changes.find((c: any) => c.op === 'create').fields = [{ path: 'x', name: 'x' }]))).toBe(false);
    expect(broken((d) => (d.changes[0].op = 'move'))).toBe(false);
    expect(broken((d) => (d.summary.byKind.page.extra = 1))).toBe(true);
    expect(broken((d) => delete d.summary.byKind.page)).toBe(false);
  });
});
