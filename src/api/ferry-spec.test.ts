import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { installedFerrySpec, normalizeFerrySpec } from './ferry-spec.js';

/** A project with ferry-cms in node_modules, as npm leaves it, `resolved` recorded in its hidden lockfile. */
function installedFrom(resolved: string | undefined): { project: string; packageRoot: string } {
  const project = mkdtempSync(join(tmpdir(), 'ferry-spec-'));
  const packageRoot = join(project, 'node_modules', 'ferry-cms');
  mkdirSync(packageRoot, { recursive: true });
  if (resolved !== undefined) {
    writeFileSync(join(project, 'node_modules', '.package-lock.json'), JSON.stringify({ lockfileVersion: 3, packages: { 'node_modules/ferry-cms': { version: '0.1.0', resolved } } }));
  }
  return { project, packageRoot };
}

describe('installedFerrySpec', () => {
  it('is the version range when Ferry came from a registry (it is published)', () => {
    const { project, packageRoot } = installedFrom('https://registry.npmjs.org/ferry-cms/-/ferry-cms-0.1.0.tgz');
    expect(installedFerrySpec(packageRoot, join(project, 'site'), '0.1.0')).toEqual({ spec: '^0.1.0', source: 'registry' });
  });

  it('is the git URL it was installed from', () => {
    const { project, packageRoot } = installedFrom('git+ssh://git@github.com/ferry-cms/ferry.git#0123abc');
    expect(installedFerrySpec(packageRoot, join(project, 'site'), '0.1.0')).toEqual({ spec: 'git+ssh://git@github.com/ferry-cms/ferry.git#0123abc', source: 'git' });
  });

  it('is the tarball, by a path relative to the new repository', () => {
    const { project, packageRoot } = installedFrom('file:../ferry-cms-0.1.0.tgz');
    expect(installedFerrySpec(packageRoot, join(project, 'sites', 'a'), '0.1.0')).toEqual({ spec: 'file:../../../ferry-cms-0.1.0.tgz', source: 'tarball' });
  });

  it('is the version when npm left no record', () => {
    const { project, packageRoot } = installedFrom(undefined);
    expect(installedFerrySpec(packageRoot, join(project, 'site'), '0.1.0')).toEqual({ spec: '^0.1.0', source: 'version' });
  });

  it('is the folder of a Ferry outside node_modules (a checkout)', () => {
    const root = mkdtempSync(join(tmpdir(), 'ferry-checkout-'));
    expect(installedFerrySpec(root, join(root, '..', 'site'), '0.1.0')).toEqual({ spec: `file:../${root.split('/').pop()}`, source: 'path' });
  });
});

describe('normalizeFerrySpec', () => {
  it('reads local paths from the current folder and writes them relative to the scaffold', () => {
    expect(normalizeFerrySpec('./dist/ferry-cms-0.1.0.tgz', '/work', '/work/sites/a')).toEqual({ spec: 'file:../../dist/ferry-cms-0.1.0.tgz', source: 'option' });
    expect(normalizeFerrySpec('file:../ferry', '/work/here', '/work/site')).toEqual({ spec: 'file:../ferry', source: 'option' });
    expect(normalizeFerrySpec('ferry-cms-0.1.0.tgz', '/work', '/work/site')).toEqual({ spec: 'file:../ferry-cms-0.1.0.tgz', source: 'option' });
  });

  it('writes versions and URLs as given', () => {
    for (const spec of ['^0.1.0', 'github:ferry-cms/ferry#v0.1.0', 'https://example.com/ferry-cms-0.1.0.tgz']) expect(normalizeFerrySpec(spec, '/work', '/work/site')).toEqual({ spec, source: 'option' });
  });
});
