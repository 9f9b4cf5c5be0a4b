import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ValidatorCodeCache } from '../validate/field-schema.js';

const require = createRequire(import.meta.url);

/** Where the cache lives under a repository, unless FERRY_CACHE_DIR says otherwise. */
export const CACHE_FOLDER = '.ferry/cache';

/**
 * The validator code cache on disk: one CommonJS module per compiled schema, named by its digest,
 * in a folder per ajv version (the generated code requires ajv's runtime helpers). Everything
 * about it is best effort: an unreadable, unwritable or damaged cache only means compiling again.
 *
 * Like `.pytest_cache`, the folder carries its own `.gitignore` (`*`), so it never shows up in
 * `git status` even where `.ferry/` is not ignored. Its files are code Ferry runs: it trusts them
 * as it trusts `node_modules`, which whoever can write here can change as well.
 */
export function openValidatorCodeCache(dir: string): ValidatorCodeCache {
  const folder = join(dir, 'validators', `ajv-${ajvVersion()}`);
  let prepared = false;
  return {
    load(key: string): unknown {
      let source: string;
      try {
        source = readFileSync(join(folder, `${key}.cjs`), 'utf8');
      } catch {
        return undefined;
      }
      try {
        const module = { exports: {} as unknown };
        // ajv's own generated code, evaluated as ajv itself evaluates what it compiles.
        new Function('module', 'exports', 'require', source)(module, module.exports, require);
        return module.exports;
      } catch {
        return undefined;
      }
    },
    save(key: string, source: string): void {
      try {
        if (!prepared) {
          mkdirSync(folder, { recursive: true });
          writeFileSync(join(dir, '.gitignore'), '# Ferry cache: safe to delete\n*\n');
          prepared = true;
        }
        // Whole files only: another process may read this key at the same moment.
        const file = join(folder, `${key}.cjs`);
        const tmp = `${file}.${process.pid}.tmp`;
        writeFileSync(tmp, source);
        renameSync(tmp, file);
      } catch {
        // A read-only checkout or a full disk: compile again next time.
      }
    },
  };
}

function ajvVersion(): string {
  try {
    return String((require('ajv/package.json') as { version: string }).version);
  } catch {
    return 'unknown';
  }
}
