/**
 * The catalog holds no code that nothing raises: every code is thrown (`new FerryError('…')`) or
 * reported (a diagnostic's `code`) by shipped code, and the exit statuses mean one thing each.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CATALOG, EXIT } from '../../src/errors/catalog.js';
import { PROJECT_ROOT } from '../support/sample-repo.js';

function shippedSources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'test-support' ? [] : shippedSources(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('the error catalog', () => {
  const src = join(PROJECT_ROOT, 'src');
  const catalog = join(src, 'errors', 'catalog.ts');
  const texts = shippedSources(src)
    .filter((f) => f !== catalog)
    .map((f) => ({ file: relative(PROJECT_ROOT, f), text: readFileSync(f, 'utf8') }));

  it.each(Object.keys(ERROR_CATALOG))('%s is raised somewhere in shipped code', (code) => {
    const users = texts.filter((t) => t.text.includes(`'${code}'`)).map((t) => t.file);
    expect(users, `${code} is in the catalog but no file under src/ (outside catalog.ts and tests) names it`).not.toEqual([]);
  });

  it('each exit status means one thing: 2 is only plan --detailed-exitcode, usage and revision have their own', () => {
    const values = Object.values(EXIT);
    expect(new Set(values).size).toBe(values.length);
    const codesExiting = (status: number) => Object.entries(ERROR_CATALOG).filter(([, s]) => s.exit === status).map(([c]) => c);
    expect(codesExiting(EXIT.changes)).toEqual([]);
    expect(codesExiting(EXIT.usage)).toEqual(['FERRY_E_USAGE']);
    expect(codesExiting(EXIT.revision)).toEqual(['FERRY_E_REVISION']);
    for (const spec of Object.values(ERROR_CATALOG)) expect(values).toContain(spec.exit);
  });
});
