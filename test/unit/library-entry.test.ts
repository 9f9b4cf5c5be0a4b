/**
 * The library (src/index.ts) is what programs that embed Ferry load: it reaches no shell module
 * (cli/, github/) and never commander, statically or through a lazy import().
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../support/sample-repo.js';

/** Every module `entry` reaches (relative imports followed; packages by name). */
function reachable(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const todo = [entry];
  while (todo.length) {
    const file = todo.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) {
      const spec = m[1];
      if (!spec.startsWith('.')) {
        packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
        continue;
      }
      const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
      if (existsSync(target)) todo.push(target);
    }
  }
  return { files, packages };
}

describe('the library entry', () => {
  it('reaches no CLI or GitHub Actions module and never loads commander', () => {
    const { files, packages } = reachable(join(PROJECT_ROOT, 'src', 'index.ts'));
    const shells = [...files].map((f) => relative(PROJECT_ROOT, f)).filter((f) => f.startsWith('src/cli/') || f.startsWith('src/github/'));
    expect(shells).toEqual([]);
    expect([...packages]).not.toContain('commander');
    // The walk sees the library's own modules (it would pass vacuously otherwise).
    expect(files.size).toBeGreaterThan(100);
    expect(packages).toContain('yaml');
  });
});
