import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import * as configValidator from '../../generated/config-validator.js';
import * as fileValidators from '../../generated/file-validators.js';
import { createAjv } from '../config/ajv.js';
import { REPOSITORY_CONFIG_SCHEMA } from '../config/config-schema.js';
import { FILE_SCHEMAS } from '../format/file-schemas.js';
import { OBJECT_KINDS } from '../model/index.js';
import { generateValidatorModules } from './validators.js';

const generatedDir = fileURLToPath(new URL('../../generated/', import.meta.url));

// `FERRY_WRITE_GENERATED=1 npx vitest run src/codegen` (or `npm run generate`) rewrites generated/;
// without it, the test fails whenever the committed validators lag behind the schemas.
describe('generated validators', () => {
  for (const m of generateValidatorModules()) {
    it(`generated/${m.file} is up to date with the schemas`, () => {
      const file = `${generatedDir}${m.file}`;
      if (process.env.FERRY_WRITE_GENERATED === '1') writeFileSync(file, m.source);
      expect(readFileSync(file, 'utf8')).toBe(m.source);
    });
  }

  it('generating twice gives the same bytes', () => {
    expect(generateValidatorModules()).toEqual(generateValidatorModules());
  });

  it('the generated file validators accept and refuse what ajv compiling the schemas does, with the same errors', () => {
    const ajv = new Ajv({ allErrors: true, strict: true });
    const samples: Record<string, unknown[]> = {
      language: [{ kind: 'language', codeName: 'en-US', displayName: 'English' }, { kind: 'language', codeName: 'EN' }, { kind: 'language' }],
      contentType: [{ kind: 'contentType', guid: 'x', codeName: 'a', fields: [{ name: 'Bad Name', type: 'text' }] }, 42],
      contentItem: [{ kind: 'contentItem', guid: '3f1c7a52-0d3b-4c9e-8f5a-2b6d9e1c4a70', codeName: 'x', variants: {} }, { kind: 'contentItem', extra: 1 }],
    };
    for (const kind of OBJECT_KINDS) {
      const compiled = ajv.compile(FILE_SCHEMAS[kind]);
      const generated = fileValidators[kind];
      for (const value of samples[kind] ?? [{}, null, { kind }]) {
        expect(generated(value)).toBe(compiled(value));
        expect(generated.errors ?? null).toEqual(compiled.errors ?? null);
      }
    }
    const config = createAjv().compile(REPOSITORY_CONFIG_SCHEMA);
    for (const value of [{}, { folder: '' }, { environments: [{ name: 'dev' }] }, { restoreMode: 'Nope', extra: true }]) {
      expect(configValidator.config(value)).toBe(config(value));
      expect(configValidator.config.errors ?? null).toEqual(config.errors ?? null);
    }
  });
});
