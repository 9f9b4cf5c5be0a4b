import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorTableMarkdown } from '../../src/cli/commands/errors.js';
import { VERSION } from '../../src/version.js';
import { PROJECT_ROOT } from '../support/sample-repo.js';

describe('documentation stays true', () => {
  it('the README error table is the catalog (regenerate with `ferry errors --format markdown`)', () => {
    const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
    const block = readme.slice(readme.indexOf('<!-- errors:start -->') + '<!-- errors:start -->'.length, readme.indexOf('<!-- errors:end -->'));
    expect(block.trim()).toBe(errorTableMarkdown().trim());
  });

  it('VERSION equals package.json version', () => {
    const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8'));
    expect(VERSION).toBe(pkg.version);
  });

  it('the README names the two commands a newcomer needs', () => {
    const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm test');
    const ci = readFileSync(join(PROJECT_ROOT, '.ci/run'), 'utf8');
    expect(ci).toContain('npm ci');
    expect(ci).toContain('npm test');
  });
});
