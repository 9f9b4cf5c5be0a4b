/** What the CLI does differently inside GitHub Actions: masks, annotations, summaries, outputs, groups. */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGitRepo, makeTempDir, removeGitRepos, type FileTree, type GitRepo } from '../support/gitdir.js';
import { ferry, requireBuiltCli } from './github-cli.js';
import { parseOutputFile } from './github-workflow-runner.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SYNC_SECRET = 'sync-secret-0123456789abcdef0123456789';
const DB_PASSWORD = 'db-p4ssw0rd-never-printed';

function sampleTree(): FileTree {
  const config = readFileSync(join(ROOT, 'repository.config.yaml'), 'utf8').replace(
    '    store: ${FERRY_STORE_STAGING:-sqlite:.ferry/staging.db}',
    '    store: ${FERRY_STORE_STAGING:-sqlite:.ferry/staging.db}\n    secretEnv: FERRY_SYNC_SECRET_STAGING',
  );
  const tree: FileTree = { 'repository.config.yaml': config, '.gitignore': '.ferry/\n' };
  for (const top of ['content', 'schemas']) {
    for (const e of readdirSync(join(ROOT, top), { recursive: true, withFileTypes: true })) {
      if (e.isFile()) tree[relative(ROOT, join(e.parentPath, e.name)).split('\\').join('/')] = readFileSync(join(e.parentPath, e.name));
    }
  }
  return tree;
}

let repo: GitRepo;
let tmp: string;
beforeAll(() => {
  requireBuiltCli();
  repo = makeGitRepo(sampleTree());
  tmp = makeTempDir('ferry-actions-');
});
afterAll(removeGitRepos);

function actionsEnv(label: string) {
  const output = join(tmp, `${label}-output.txt`);
  const summary = join(tmp, `${label}-summary.md`);
  writeFileSync(output, '');
  writeFileSync(summary, '');
  return {
    env: {
      GITHUB_ACTIONS: 'true',
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: summary,
      FERRY_SYNC_SECRET_STAGING: SYNC_SECRET,
      FERRY_STORE_PROD: `postgres://ferry:${DB_PASSWORD}@db.example:5432/prod`,
    },
    outputs: () => parseOutputFile(readFileSync(output, 'utf8')),
    summary: () => readFileSync(summary, 'utf8'),
  };
}

describe('the CLI in GitHub Actions', () => {
  it('masks the config secrets first, on stderr, and only in Actions', async () => {
    const a = actionsEnv('mask');
    const r = await ferry(['validate'], { cwd: repo.dir, env: a.env });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr.split('\n')).toEqual(expect.arrayContaining([`::add-mask::${SYNC_SECRET}`, `::add-mask::${DB_PASSWORD}`]));
    expect(r.stdout).not.toContain('add-mask');
    const outside = await ferry(['validate'], { cwd: repo.dir, env: { ...a.env, GITHUB_ACTIONS: undefined } });
    expect(outside.stderr).not.toContain('::add-mask::');
  });

  it('validate: summary and outputs; --format github annotates outside Actions without touching the files', async () => {
    const a = actionsEnv('validate');
    const r = await ferry(['validate'], { cwd: repo.dir, env: a.env });
    expect(r.stdout).toBe('Valid: 74 objects (working tree), 0 finding(s)\n');
    expect(a.summary()).toContain('### ✅ Ferry validation passed');
    expect(a.outputs()).toEqual({ status: 'ok', errors: '0', warnings: '0', objects: '74' });

    const b = actionsEnv('validate-github');
    const path = 'content/items/article/coffee-origins.yaml';
    repo.write({ [path]: readFileSync(join(repo.dir, path), 'utf8').replace('title: Where our coffee comes from', 'title: X') });
    const g = await ferry(['validate', '--format', 'github'], { cwd: repo.dir, env: { ...b.env, GITHUB_ACTIONS: undefined } });
    repo.git('checkout', '--', path);
    expect(g.code).toBe(1);
    expect(g.stdout).toMatch(/^::error file=content\/items\/article\/coffee-origins\.yaml,line=\d+,col=\d+,title=FERRY_E_FIELD/m);
    expect(b.summary()).toBe('');
    expect(b.outputs()).toEqual({});
  });

  it('plan and deploy: outputs, summary and a log group around the plan', async () => {
    const a = actionsEnv('plan');
    const plan = await ferry(['plan', '--env', 'dev', '--detailed-exitcode'], { cwd: repo.dir, env: a.env });
    expect(plan.code, plan.stderr).toBe(2);
    expect(plan.stdout).toMatch(/^::group::Plan for dev: 74 to create/);
    expect(plan.stdout.trimEnd().endsWith('::endgroup::')).toBe(true);
    expect(a.outputs()).toMatchObject({ environment: 'dev', status: 'changes', has_changes: 'true', deployed_commit: '', head_commit: repo.head(), created: '74' });
    expect(a.summary()).toContain('### Plan for dev (CreateUpdate): nothing deployed →');

    const d = actionsEnv('deploy');
    const deploy = await ferry(['deploy', '--env', 'dev', '--format', 'json'], { cwd: repo.dir, env: d.env });
    expect(deploy.code, deploy.stderr).toBe(0);
    expect(JSON.parse(deploy.stdout).status).toBe('ok');
    expect(d.outputs()).toMatchObject({ environment: 'dev', status: 'succeeded', deployment_id: '1', deployed_commit: repo.head(), created: '74', published: '72' });

    const p = actionsEnv('promote');
    const promote = await ferry(['promote', 'dev', 'staging'], { cwd: repo.dir, env: p.env });
    expect(promote.code, promote.stderr).toBe(0);
    expect(p.outputs()).toMatchObject({ environment: 'staging', status: 'succeeded', deployed_commit: repo.head() });
    expect(p.summary()).toContain('to staging (deployment #1)');

    const again = actionsEnv('noop');
    await ferry(['deploy', '--env', 'dev'], { cwd: repo.dir, env: again.env });
    expect(again.outputs()).toMatchObject({ status: 'no-op', has_changes: 'false', deployed_commit: repo.head() });
    expect(again.summary()).toContain('already has');
  });

  it('a failing command annotates its error on stderr and sets status=failed', async () => {
    const a = actionsEnv('fail');
    const r = await ferry(['diff', 'no-such-rev', '--format', 'markdown'], { cwd: repo.dir, env: a.env });
    expect(r.code).toBe(5);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^::error title=FERRY_E_REVISION::unknown revision `no-such-rev`/m);
    expect(a.outputs()).toEqual({ status: 'failed', error_code: 'FERRY_E_REVISION' });
    expect(a.summary()).toContain('### ❌ ferry diff failed');
  });
});
