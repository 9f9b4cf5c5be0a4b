import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONFIG_SCHEMA_ID, REPOSITORY_CONFIG_SCHEMA } from './config-schema.js';

const FILE = fileURLToPath(new URL('../../schemas/repository-config.schema.json', import.meta.url));
const expected = JSON.stringify(REPOSITORY_CONFIG_SCHEMA, null, 2) + '\n';

describe('schemas/repository-config.schema.json', () => {
  it('is the committed copy of REPOSITORY_CONFIG_SCHEMA (FERRY_UPDATE_SCHEMAS=1 rewrites it)', () => {
    if (process.env.FERRY_UPDATE_SCHEMAS === '1') writeFileSync(FILE, expected);
    expect(readFileSync(FILE, 'utf8')).toBe(expected);
  });

  it('has its $id and a description on every property', () => {
    expect(REPOSITORY_CONFIG_SCHEMA.$id).toBe(CONFIG_SCHEMA_ID);
    const missing: string[] = [];
    const walk = (schema: Record<string, unknown>, path: string): void => {
      const props = schema.properties as Record<string, Record<string, unknown>> | undefined;
      for (const [key, sub] of Object.entries(props ?? {})) {
        if (typeof sub.description !== 'string' || sub.description === '') missing.push(`${path}.${key}`);
        walk(sub, `${path}.${key}`);
      }
      if (schema.items && typeof schema.items === 'object') walk(schema.items as Record<string, unknown>, `${path}[]`);
      if (schema.type === 'object' && schema.additionalProperties !== false && path.endsWith('tokens') === false) {
        missing.push(`${path} (additionalProperties)`);
      }
    };
    walk(REPOSITORY_CONFIG_SCHEMA as unknown as Record<string, unknown>, '');
    expect(missing).toEqual([]);
  });
});
