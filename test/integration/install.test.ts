/**
 * A content team's install, end to end: `npm pack` of this repository gives a tarball that npm
 * installs into a fresh content repository made by `ferry init`, and `npx --no-install ferry`
 * then runs there. The scaffold depends on what the running Ferry was installed from.
 *
 * The tarball is packed with --ignore-scripts from the `dist/` that `npm test` has just built
 * (running `prepare` here would rebuild dist/ under the feet of the tests running beside this
 * one), and installed with --ignore-scripts: better-sqlite3's install script compiles SQLite
 * when it cannot download a prebuilt binding (a minute of CPU), and `validate` never opens a store.
 */
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version.js';
import { makeTempDir, removeGitRepos } from '../support/gitdir.js';
import { ferry, requireBuiltCli } from './github-cli.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** The machine's PATH and HOME (npm's cache) and nothing of the npm script running the tests. */
function cleanEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TMPDIR: process.env.TMPDIR ?? '/tmp', NO_COLOR: '1', GIT_CONFIG_NOSYSTEM: '1' };
}

const run = (cmd: string, args: string[], cwd: string) => execa(cmd, args, { cwd, env: cleanEnv(), extendEnv: false, reject: false });
const devDependency = (dir: string) => (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies['ferry-cms'];

let base: string;
let tarball: string;
let files: string[];

beforeAll(async () => {
  requireBuiltCli();
  base = makeTempDir('ferry-install-');
  const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', base], ROOT);
  expect(packed.exitCode, packed.stderr).toBe(0);
  const [info] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
  tarball = join(base, info.filename);
  files = info.files.map((f) => f.path).sort();
}, 120_000);
afterAll(removeGitRepos);

describe('npm pack', () => {
  it('ships the built CLI, the generated validators, the schemas and the templates, and no sources or tests', () => {
    expect(files).toEqual(expect.arrayContaining(['dist/cli/bin.js', 'dist/index.js', 'generated/file-validators.js', 'schemas/repository-config.schema.json', 'templates/workflows/content-deploy.yml', 'package.json']));
    expect(files.filter((f) => /^(src|test|bench|content)\//.test(f) || /\.test\.js$/.test(f))).toEqual([]);
  });

  it('package.json builds dist/ on install from git (prepare) and runs the bin from it', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; bin: Record<string, string>; files: string[] };
    expect(pkg.scripts.prepare).toMatch(/npm run build/);
    expect(pkg.bin.ferry).toBe('dist/cli/bin.js');
    expect(readFileSync(join(ROOT, 'dist', 'cli', 'bin.js'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });
});

describe('a content repository that installs the tarball', () => {
  let repo: string;

  beforeAll(async () => {
    const init = await ferry(['init', 'site', '--ferry-spec', relative(base, tarball)], { cwd: base });
    expect(init.code, init.stderr).toBe(0);
    repo = join(base, 'site');
    const install = await run('npm', ['install', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund'], repo);
    expect(install.exitCode, install.stderr).toBe(0);
  }, 300_000);

  it('depends on the tarball by a path relative to itself', () => {
    expect(devDependency(repo)).toBe(`file:../${relative(base, tarball)}`);
  });

  it('runs `npx --no-install ferry validate` and `--version` from node_modules', async () => {
    const validate = await run('npx', ['--no-install', 'ferry', 'validate'], repo);
    expect(validate.exitCode, validate.stderr).toBe(0);
    expect(validate.stdout).toBe('Valid: 3 objects in working tree.');
    const version = await run('npx', ['--no-install', 'ferry', '--version'], repo);
    expect(version.stdout).toBe(VERSION);
    const installed = JSON.parse(readFileSync(join(repo, 'node_modules', 'ferry-cms', 'package.json'), 'utf8')) as { version: string };
    expect(installed.version).toBe(VERSION);
  });

  it('the installed Ferry scaffolds the next repository on the same tarball', async () => {
    const r = await run('npx', ['--no-install', 'ferry', 'init', '../second'], repo);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(devDependency(join(base, 'second'))).toBe(`file:../${relative(base, tarball)}`);
    expect(r.stdout).toContain('the tarball this Ferry was installed from');
  });
});

describe('ferry init --ferry-spec', () => {
  it('writes a git URL or version as given', async () => {
    for (const spec of ['github:ferry-cms/ferry#v0.1.0', '^0.1.0', 'git+https://example.com/ferry.git#abc']) {
      const dir = join(makeTempDir('ferry-spec-'), 'repo');
      const r = await ferry(['init', dir, '--ferry-spec', spec], { cwd: base });
      expect(r.code, r.stderr).toBe(0);
      expect(devDependency(dir)).toBe(spec);
      expect(r.stdout).toContain(`package.json depends on ferry-cms ${spec} (from --ferry-spec)`);
    }
  });

  it('defaults, when run from a checkout, to the checkout by its path', async () => {
    const dir = join(makeTempDir('ferry-spec-'), 'repo');
    const r = await ferry(['init', dir], { cwd: base });
    expect(r.code, r.stderr).toBe(0);
    expect(devDependency(dir)).toBe(`file:${relative(dir, ROOT)}`);
    expect(r.stdout).toContain('the folder this Ferry runs from');
  });
});
