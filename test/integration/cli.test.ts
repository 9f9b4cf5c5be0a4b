/** The CLI shell: help, version, usage errors, exit codes, fmt. */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeGitRepos } from '../support/gitdir.js';
import { ferry, makeSampleRepo, PROJECT_ROOT } from '../support/sample-repo.js';
import { runFerry } from '../support/serve.js';

afterAll(() => removeGitRepos());

describe('ferry CLI', () => {
  it('prints help with every command, and per-command help with examples', async () => {
    const repo = makeSampleRepo();
    const help = await ferry(repo.dir, ['--help']);
    expect(help.code).toBe(0);
    for (const c of ['validate', 'fmt', 'diff', 'plan', 'deploy', 'promote', 'status', 'history', 'rollback', 'serialize', 'textconv']) expect(help.stdout).toContain(c);
    const deploy = await ferry(repo.dir, ['deploy', '--help']);
    expect(deploy.stdout).toContain('Examples:');
    expect(deploy.stdout).toContain('$ ferry deploy --env dev');
  });

  it('prints its version', async () => {
    const r = await ferry(process.cwd(), ['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('exits 64 on a usage error and 1 on an unknown environment, without a stack trace', async () => {
    const repo = makeSampleRepo();
    const usage = await ferry(repo.dir, ['deploy']);
    expect(usage.code).toBe(64);
    expect(usage.stderr).toContain("required option '--env <name>' not specified");
    const unknown = await ferry(repo.dir, ['plan', '--env', 'qa']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('FERRY_E_ENV_UNKNOWN');
    expect(unknown.stderr).toMatch(/dev, staging, prod/);
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
    const mode = await ferry(repo.dir, ['deploy', '--env', 'dev', '--mode', 'Everything']);
    expect(mode.code).toBe(64);
  });

  it('outside a content repository, says so', async () => {
    const r = await ferry('/', ['validate']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('No repository.config.yaml found');
  });

  it('fmt --check lists non-canonical files and fmt rewrites them', async () => {
    const repo = makeSampleRepo();
    expect((await ferry(repo.dir, ['fmt', '--check'])).code).toBe(0);
    const file = 'content/workspaces/editorial.yaml';
    const text = readFileSync(join(repo.dir, file), 'utf8');
    // Hand-edited: keys out of order, quotes, CRLF.
    const lines = text.trimEnd().split('\n');
    const shuffled = [lines[0], ...lines.slice(1).reverse()].join('\r\n').replace(/displayName: (.*)/, 'displayName: "$1"') + '\r\n';
    writeFileSync(join(repo.dir, file), shuffled);
    const check = await ferry(repo.dir, ['fmt', '--check']);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(`not canonical  ${file}`);
    expect(readFileSync(join(repo.dir, file), 'utf8')).toBe(shuffled);
    const fix = await ferry(repo.dir, ['fmt']);
    expect(fix.code).toBe(0);
    expect(readFileSync(join(repo.dir, file), 'utf8')).toBe(text);
  });

  it('validate --format json has the documented envelope', async () => {
    const repo = makeSampleRepo();
    const r = await ferry(repo.dir, ['validate', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ status: 'ok', errors: 0, objects: 74, diagnostics: [] });
  });
});

describe('the validator cache (.ferry/cache)', () => {
  const cachedFiles = (dir: string): string[] =>
    existsSync(join(dir, '.ferry/cache')) ? readdirSync(join(dir, '.ferry/cache'), { recursive: true }).map(String).filter((f) => f.endsWith('.cjs')).sort() : [];

  // Separate processes: within one, compiled validators are kept in memory and never reloaded.
  it('a second process reuses the compiled field validators and reports the same findings', async () => {
    const repo = makeSampleRepo();
    const file = join(repo.dir, 'content/items/article/brewing-ratio.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/\n {6}title: .*\n/, '\n'));
    const first = await runFerry(['validate'], { cwd: repo.dir });
    expect(first.code).toBe(1);
    expect(first.stdout).toMatch(/brewing-ratio\.yaml:\d+:\d+: error FERRY_E_FIELD .*title/);
    const files = cachedFiles(repo.dir);
    expect(files.length).toBeGreaterThan(0);
    const mtimes = files.map((f) => statSync(join(repo.dir, '.ferry/cache', f)).mtimeMs);
    const second = await runFerry(['validate'], { cwd: repo.dir });
    expect(second).toEqual(first);
    expect(cachedFiles(repo.dir)).toEqual(files);
    expect(files.map((f) => statSync(join(repo.dir, '.ferry/cache', f)).mtimeMs)).toEqual(mtimes);
    // Its own .gitignore keeps it out of git status even where .ferry/ is not ignored.
    expect(readFileSync(join(repo.dir, '.ferry/cache/.gitignore'), 'utf8')).toMatch(/^\*$/m);
  });

  it('FERRY_CACHE=off writes no cache', async () => {
    const repo = makeSampleRepo();
    expect((await runFerry(['validate'], { cwd: repo.dir, env: { FERRY_CACHE: 'off' } })).code).toBe(0);
    expect(existsSync(join(repo.dir, '.ferry/cache'))).toBe(false);
  });
});

describe('ferry status with an environment down', () => {
  it('reports the others, marks the unreachable one and exits 4', async () => {
    const config = readFileSync(join(PROJECT_ROOT, 'repository.config.yaml'), 'utf8');
    const repo = makeSampleRepo({ config: config.replace('${FERRY_STORE_PROD:-sqlite:.ferry/prod.db}', 'http://127.0.0.1:9') });
    await ferry(repo.dir, ['deploy', '--env', 'dev']);
    const env = { FERRY_SYNC_SECRET: 'x'.repeat(40) };
    const r = await ferry(repo.dir, ['status'], env);
    expect(r.code).toBe(4);
    expect(r.stdout).toMatch(/^dev {2}sqlite:\.ferry\/dev\.db\n {2}deployed: [0-9a-f]{10}/m);
    expect(r.stdout).toMatch(/prod \(from staging\) {2}http:\/\/127\.0\.0\.1:9\n {2}UNREACHABLE: .*\(FERRY_E_UNREACHABLE\)/);
    const json = await ferry(repo.dir, ['status', '--json'], env);
    expect(JSON.parse(json.stdout).environments.find((e: { name: string }) => e.name === 'prod').error.code).toBe('FERRY_E_UNREACHABLE');
  });
});
