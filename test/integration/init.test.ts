/** `ferry init` end to end with the built CLI. */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeGitRepos, runGit } from '../support/gitdir.js';
import { ferry, requireBuiltCli } from './github-cli.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** Every file below `dir` with its bytes and modification time. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const abs = join(e.parentPath, e.name);
    out[relative(dir, abs)] = `${statSync(abs).mtimeMs} ${readFileSync(abs, 'base64')}`;
  }
  return out;
}

beforeAll(requireBuiltCli);
afterAll(removeGitRepos);

describe('ferry init', () => {
  const base = makeTempDir('ferry-init-');
  const dir = join(base, 'my-content');

  it('scaffolds a repository that validates', async () => {
    const r = await ferry(['init', 'my-content'], { cwd: base });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('created  repository.config.yaml');
    expect(r.stdout).toContain('A Ferry content repository is ready in my-content');
    for (const f of [
      'repository.config.yaml',
      'content/languages/en-US.yaml',
      'content/workspaces/main.yaml',
      'content/content-types/article.yaml',
      '.github/workflows/content-review.yml',
      '.github/workflows/content-deploy.yml',
      '.gitattributes',
      '.gitignore',
      'README.md',
      'package.json',
    ]) {
      expect(existsSync(join(dir, f)), f).toBe(true);
    }
    const schemas = readdirSync(join(ROOT, 'schemas')).filter((n) => n.endsWith('.json')).sort();
    expect(readdirSync(join(dir, 'schemas')).sort()).toEqual(schemas);
    for (const s of schemas) expect(readFileSync(join(dir, 'schemas', s), 'utf8')).toBe(readFileSync(join(ROOT, 'schemas', s), 'utf8'));
    for (const w of ['content-review.yml', 'content-deploy.yml']) {
      expect(readFileSync(join(dir, '.github', 'workflows', w), 'utf8')).toBe(readFileSync(join(ROOT, 'templates', 'workflows', w), 'utf8'));
    }
    expect(readFileSync(join(dir, '.gitattributes'), 'utf8')).toContain('content/**/*.yaml text eol=lf diff=ferry\n');
    expect(readFileSync(join(dir, '.gitattributes'), 'utf8')).toContain('content/**/*.yaml merge=ferry\n');
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toMatch(/^\.ferry\/$/m);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain('<!-- ferry:init -->\n## Content (Ferry)');
    expect(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))).toMatchObject({ name: 'my-content', private: true, devDependencies: { 'ferry-cms': expect.stringMatching(/^\^\d+\.\d+\.\d+/) } });
    const config = readFileSync(join(dir, 'repository.config.yaml'), 'utf8');
    expect(config).toContain('store: ${FERRY_STORE_STAGING:-sqlite:.ferry/staging.db}');
    expect(config).toMatch(/^# /m);

    const validate = await ferry(['validate'], { cwd: dir });
    expect(validate.code, validate.stdout + validate.stderr).toBe(0);
    expect(validate.stdout).toBe('Valid: 3 objects in working tree.\n');
    const fmt = await ferry(['fmt', '--check'], { cwd: dir });
    expect(fmt.code, fmt.stdout).toBe(0);
  });

  it('writes fresh random guids', async () => {
    const other = join(base, 'other');
    expect((await ferry(['init', other], { cwd: base })).code).toBe(0);
    const guids = (d: string) => readFileSync(join(d, 'content/content-types/article.yaml'), 'utf8').match(/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/g);
    expect(guids(dir)).toHaveLength(3);
    expect(new Set([...guids(dir)!, ...guids(other)!]).size).toBe(6);
  });

  it('refuses a second init without --force and writes nothing', async () => {
    const before = snapshot(dir);
    const r = await ferry(['init', 'my-content'], { cwd: base });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/already has \d+ of the files ferry init writes: repository\.config\.yaml, content\/languages\/en-US\.yaml/);
    expect(r.stderr).toContain('(FERRY_E_EXISTS)');
    expect(r.stderr).toContain('--force');
    expect(snapshot(dir)).toEqual(before);
  });

  it('refuses to add starter objects to a content folder that has some', async () => {
    const d = join(base, 'has-content');
    mkdirSync(join(d, 'content', 'items', 'article'), { recursive: true });
    writeFileSync(join(d, 'content', 'items', 'article', 'x.yaml'), 'kind: contentItem\n');
    const r = await ferry(['init', d], { cwd: base });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('content/ (1 content file(s))');
    expect(existsSync(join(d, 'repository.config.yaml'))).toBe(false);
  });

  it('with --force overwrites, without duplicating README, .gitignore or .gitattributes lines', async () => {
    const r = await ferry(['init', 'my-content', '--force'], { cwd: base });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('kept     package.json');
    const count = (f: string, s: string) => readFileSync(join(dir, f), 'utf8').split(s).length - 1;
    expect(count('README.md', '<!-- ferry:init -->')).toBe(1);
    expect(count('.gitignore', '.ferry/')).toBe(1);
    expect(count('.gitattributes', 'content/**/*.yaml text eol=lf diff=ferry')).toBe(1);
    expect(count('.gitattributes', 'content/**/*.yaml merge=ferry')).toBe(1);
    expect((await ferry(['validate'], { cwd: dir })).code).toBe(0);
  });

  it('extends an existing README, .gitignore and keeps package.json', async () => {
    const d = join(base, 'existing');
    mkdirSync(d);
    writeFileSync(join(d, 'README.md'), '# Our site\n');
    writeFileSync(join(d, '.gitignore'), 'dist/\n');
    writeFileSync(join(d, 'package.json'), '{ "name": "site" }\n');
    const r = await ferry(['init', '.'], { cwd: d });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(d, 'README.md'), 'utf8')).toMatch(/^# Our site\n\n<!-- ferry:init -->\n## Content \(Ferry\)/);
    expect(readFileSync(join(d, '.gitignore'), 'utf8')).toBe('dist/\n# Ferry: local environment stores\n.ferry/\nnode_modules/\n');
    expect(readFileSync(join(d, 'package.json'), 'utf8')).toBe('{ "name": "site" }\n');
    expect(r.stdout).toContain('extended README.md');
  });

  it('commits and deploys as a git repository', async () => {
    runGit(dir, ['init', '-q', '-b', 'main']);
    runGit(dir, ['add', '-A']);
    runGit(dir, ['commit', '-q', '-m', 'Ferry content repository']);
    expect(runGit(dir, ['status', '--porcelain'])).toBe('');
    const r = await ferry(['deploy', '--env', 'dev'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('3 created');
    // The local store is ignored by the generated .gitignore.
    expect(runGit(dir, ['status', '--porcelain'])).toBe('');
  });
});
