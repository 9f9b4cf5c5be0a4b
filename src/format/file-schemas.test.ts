import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { OBJECT_KINDS } from '../model/index.js';
import { FILE_SCHEMAS, SCHEMA_BASE_URL, schemaFileText } from './file-schemas.js';
import { SCHEMA_FILE } from './layout.js';

const schemasDir = fileURLToPath(new URL('../../schemas/', import.meta.url));

// `FERRY_WRITE_SCHEMAS=1 npx vitest run src/format/file-schemas.test.ts` regenerates schemas/*.schema.json
// from the TypeScript source; without it, the test fails whenever the committed copies drift.
describe('file JSON Schemas', () => {
  for (const kind of OBJECT_KINDS) {
    it(`schemas/${SCHEMA_FILE[kind]} equals the TypeScript source`, () => {
      const file = `${schemasDir}${SCHEMA_FILE[kind]}`;
      if (process.env.FERRY_WRITE_SCHEMAS === '1') writeFileSync(file, schemaFileText(kind));
      expect(readFileSync(file, 'utf8')).toBe(schemaFileText(kind));
    });
  }

  it('every schema compiles in ajv strict mode and has an $id, a title and described properties', () => {
    const ajv = new Ajv({ strict: true, allErrors: true });
    for (const kind of OBJECT_KINDS) {
      const schema = FILE_SCHEMAS[kind];
      expect(schema.$id).toBe(`${SCHEMA_BASE_URL}${SCHEMA_FILE[kind]}`);
      expect(typeof schema.title).toBe('string');
      expect(schema.additionalProperties).toBe(false);
      expect(() => ajv.compile(schema)).not.toThrow();
      expect(undescribedProperties(schema, kind)).toEqual([]);
    }
  });
});

/** Paths of every `properties` entry (at any depth) that has no description. */
function undescribedProperties(schema: unknown, path: string): string[] {
  const out: string[] = [];
  if (schema === null || typeof schema !== 'object') return out;
  const s = schema as Record<string, unknown>;
  if (s.properties && typeof s.properties === 'object') {
    for (const [name, sub] of Object.entries(s.properties as Record<string, Record<string, unknown>>)) {
      if (typeof sub.description !== 'string' || sub.description === '') out.push(`${path}.${name}`);
      out.push(...undescribedProperties(sub, `${path}.${name}`));
    }
  }
  for (const key of ['items', 'additionalProperties']) {
    if (s[key] && typeof s[key] === 'object') out.push(...undescribedProperties(s[key], `${path}.${key}`));
  }
  return out;
}
