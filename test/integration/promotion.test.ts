import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/index.js';
import { removeGitRepos } from '../support/gitdir.js';
import { ferry, makeSampleRepo, PROJECT_ROOT } from '../support/sample-repo.js';
import { countObjects, deploymentRows, dumpStore } from '../support/store-dump.js';

afterAll(() => removeGitRepos());

const store = (dir: string, env: string) => join(dir, '.ferry', `${env}.db`);
/** Objects in the sample content (content/README.md lists them). */
const SAMPLE_OBJECTS = 79;

function editTitle(dir: string, rel: string, title: string): void {
  const file = join(dir, rel);
  const text = readFileSync(file, 'utf8').replace(/(\n {6}title: )(.*)\n/, `$1${title}\n`);
  writeFileSync(file, text);
}

describe('deploy, promote, status, history, rollback', () => {
  it('deploys a commit, records it, and treats the same commit again as a no-op', async () => {
    const repo = makeSampleRepo();
    const first = await ferry(repo.dir, ['deploy', '--env', 'dev', '--actor', 'alice']);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/Deployed dev at [0-9a-f]{10} as deployment #1: 79 created/);
    expect(countObjects(store(repo.dir, 'dev'))).toBe(SAMPLE_OBJECTS);

    const again = await ferry(repo.dir, ['deploy', '--env', 'dev']);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('No changes');
    const history = await ferry(repo.dir, ['history', '--env', 'dev', '--json']);
    const rows = JSON.parse(history.stdout).deployments;
    expect(rows.map((d: { status: string }) => d.status)).toEqual(['no-op', 'succeeded']);
    expect(rows[1]).toMatchObject({ actor: 'alice', mode: 'CreateUpdate', toCommit: repo.head() });
  });

  it('promotes exactly the commit the previous environment has, and only along the chain', async () => {
    const repo = makeSampleRepo();
    expect((await ferry(repo.dir, ['deploy', '--env', 'dev'])).code).toBe(0);
    const deployedSha = repo.head();
    repo.commit({ 'content/items/article/not-yet.yaml': null }, 'unrelated later commit');
    const promoted = await ferry(repo.dir, ['promote', 'dev', 'staging', '--json']);
    expect(promoted.code, promoted.stderr).toBe(0);
    expect(JSON.parse(promoted.stdout).commit).toBe(deployedSha);

    const skip = await ferry(repo.dir, ['promote', 'dev', 'prod']);
    expect(skip.code).toBe(1);
    expect(skip.stderr).toContain('Cannot promote dev to prod: dev promotes to staging');
    expect(existsSync(store(repo.dir, 'prod'))).toBe(false);

    const empty = await ferry(repo.dir, ['promote', 'staging', 'prod']);
    expect(empty.code).toBe(0);
    const nothing = makeSampleRepo();
    const none = await ferry(nothing.dir, ['promote', 'dev', 'staging']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('dev has no deployed commit to promote');
  });

  it('plans with a terraform-like detailed exit code', async () => {
    const repo = makeSampleRepo();
    expect((await ferry(repo.dir, ['plan', '--env', 'dev', '--detailed-exitcode'])).code).toBe(2);
    await ferry(repo.dir, ['deploy', '--env', 'dev']);
    expect((await ferry(repo.dir, ['plan', '--env', 'dev', '--detailed-exitcode'])).code).toBe(0);
    editTitle(repo.dir, 'content/items/article/brewing-ratio.yaml', 'Ratios, revisited');
    repo.commit({}, 'edit');
    const planned = await ferry(repo.dir, ['plan', '--env', 'dev', '--detailed-exitcode', '--format', 'json']);
    expect(planned.code).toBe(2);
    const plan = JSON.parse(planned.stdout).plan;
    expect(plan.steps.map((s: { action: string; codeName: string }) => `${s.action} ${s.codeName}`)).toEqual(['update brewing-ratio', 'publish brewing-ratio']);
    expect(plan.steps[0].fields).toEqual(['variants.en-US.fields.title']);
  });

  it('refuses a commit with validation errors: exit 1, file:line, nothing applied, a failed record', async () => {
    const repo = makeSampleRepo();
    await ferry(repo.dir, ['deploy', '--env', 'dev']);
    const before = dumpStore(store(repo.dir, 'dev'));
    const target = repo.git('ls-files', 'content/items/product').split('\n')[0];
    const broken = readFileSync(join(repo.dir, target), 'utf8').replace(/price: [0-9.]+/, 'price: cheap');
    expect(broken).toContain('price: cheap');
    writeFileSync(join(repo.dir, target), broken);
    repo.commit({}, 'broken price');
    const r = await ferry(repo.dir, ['deploy', '--env', 'dev']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`${target.replace(/[.]/g, '\\.')}:\\d+:\\d+: FERRY_E_FIELD .*price`));
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(dumpStore(store(repo.dir, 'dev'))).toBe(before);
    const rows = deploymentRows(store(repo.dir, 'dev'));
    expect(rows.at(-1)).toMatchObject({ status: 'failed' });
    expect(JSON.parse(rows.at(-1)!.diagnostics)[0].code).toBe('FERRY_E_FIELD');

    // Rollback after a failed deploy goes back to the last good commit.
    const rb = await ferry(repo.dir, ['rollback', '--env', 'dev', '--to', '#1', '--yes']);
    expect(rb.code, rb.stderr).toBe(0);
    expect(rb.stdout).toContain('Rollback of dev to deployment #1');
  });

  it('refuses, before writing anything, a deployment whose target lacks a referenced content type', async () => {
    const config = readFileSync(join(PROJECT_ROOT, 'repository.config.yaml'), 'utf8').replace(
      'restoreMode: CreateUpdate',
      'restoreMode: CreateUpdate\nkinds:\n  exclude: [contentType]',
    );
    const repo = makeSampleRepo({ config });
    const r = await ferry(repo.dir, ['deploy', '--env', 'dev']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('FERRY_E_INCOMPATIBLE');
    expect(r.stderr).toMatch(/needs contentType `\w[\w-]*` \(contentType\), which is neither on dev nor created by this deployment/);
    expect(countObjects(store(repo.dir, 'dev'))).toBe(0);
  });

  it('Create mode skips existing objects; Full mode deletes what the repository no longer has', async () => {
    const repo = makeSampleRepo();
    await ferry(repo.dir, ['deploy', '--env', 'dev']);
    editTitle(repo.dir, 'content/items/article/brewing-ratio.yaml', 'Changed in Create mode');
    const victim = repo.git('ls-files', 'content/items/event').split('\n')[0];
    repo.commit({ [victim]: null }, 'edit and delete');
    const create = await ferry(repo.dir, ['deploy', '--env', 'dev', '--mode', 'Create', '--json']);
    expect(create.code, create.stderr).toBe(0);
    const steps = JSON.parse(create.stdout).plan.steps as Array<{ action: string; reason: string }>;
    expect(steps.map((s) => `${s.action}: ${s.reason}`)).toEqual(['skip: exists (Create mode)', 'skip: deletions not applied (Create)']);
    expect(countObjects(store(repo.dir, 'dev'))).toBe(79);

    const full = await ferry(repo.dir, ['deploy', '--env', 'dev', '--mode', 'Full', '--json']);
    const fullSteps = JSON.parse(full.stdout).plan.steps as Array<{ action: string }>;
    expect(fullSteps.map((s) => s.action)).toEqual(['update', 'publish', 'delete']);
    expect(countObjects(store(repo.dir, 'dev'))).toBe(78);
  });

  it('reports drift made by writing to the store directly, and the next deployment restores it', async () => {
    const repo = makeSampleRepo();
    await ferry(repo.dir, ['deploy', '--env', 'dev']);
    const db = new Database(store(repo.dir, 'dev'));
    const row = db.prepare("SELECT key, data FROM objects WHERE code_name = 'brewing-ratio'").get() as { key: string; data: string };
    db.prepare('UPDATE objects SET data = ? WHERE key = ?').run(row.data.replace('golden ratio', 'silver ratio'), row.key);
    db.close();
    const status = await ferry(repo.dir, ['status', '--env', 'dev', '--drift']);
    expect(status.stdout).toContain('drift:    1 changed, 0 added, 0 deleted outside Ferry');
    expect(status.stdout).toMatch(/changed\s+contentItem brewing-ratio/);
    const redeploy = await ferry(repo.dir, ['deploy', '--env', 'dev']);
    expect(redeploy.stdout).toContain('changed on dev outside Ferry (drift)');
    const after = await ferry(repo.dir, ['status', '--env', 'dev']);
    expect(after.stdout).toContain('drift:    none');
  });

  it('waits for the environment lock, then exits 3 naming the holder', async () => {
    const repo = makeSampleRepo();
    await ferry(repo.dir, ['deploy', '--env', 'dev']);
    const holder = SqliteStore.open(store(repo.dir, 'dev'));
    const release = await holder.acquireLock({ pid: process.pid, host: (await import('node:os')).hostname(), actor: 'bob', since: '2026-01-01T00:00:00Z', purpose: 'deploy main to dev' }, 1000);
    try {
      const r = await ferry(repo.dir, ['deploy', '--env', 'dev', '--lock-timeout', '1']);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('gave up after 1000 ms');
      expect(r.stderr).toContain('bob');
      expect(r.stderr).toContain('FERRY_E_LOCK');
    } finally {
      await release();
      await holder.close();
    }
  });

  it('shows how far each environment is behind its predecessor', async () => {
    const repo = makeSampleRepo();
    await ferry(repo.dir, ['deploy', '--env', 'dev']);
    await ferry(repo.dir, ['promote', 'dev', 'staging']);
    editTitle(repo.dir, 'content/items/article/brewing-ratio.yaml', 'One');
    repo.commit({}, 'one');
    editTitle(repo.dir, 'content/items/article/storing-beans.yaml', 'Two');
    repo.commit({}, 'two');
    await ferry(repo.dir, ['deploy', '--env', 'dev']);
    const s = await ferry(repo.dir, ['status', '--json']);
    const envs = JSON.parse(s.stdout).environments as Array<{ name: string; behind?: { commits: number; objects: number } }>;
    expect(envs.find((e) => e.name === 'staging')!.behind).toMatchObject({ commits: 2, objects: 2, predecessor: 'dev' });
  });

  it('serializes a store back to byte-identical files', async () => {
    const repo = makeSampleRepo();
    await ferry(repo.dir, ['deploy', '--env', 'dev']);
    const r = await ferry(repo.dir, ['serialize', '--env', 'dev']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/0 written, 85 unchanged, 0 removed/);
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it('deploys the working folder with --source working-tree', async () => {
    const repo = makeSampleRepo();
    editTitle(repo.dir, 'content/items/article/brewing-ratio.yaml', 'Uncommitted');
    const r = await ferry(repo.dir, ['deploy', '--env', 'dev', '--source', 'working-tree', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.commit).toBeNull();
    expect(out.deployment.source).toBe('working-tree');
    const db = new Database(store(repo.dir, 'dev'), { readonly: true });
    const data = (db.prepare("SELECT data FROM objects WHERE code_name = 'brewing-ratio'").get() as { data: string }).data;
    db.close();
    expect(data).toContain('Uncommitted');
  });

  it('re-validates unchanged items when their content type changes, and refuses what no longer fits', async () => {
    const repo = makeSampleRepo();
    await ferry(repo.dir, ['deploy', '--env', 'dev']);
    const before = dumpStore(store(repo.dir, 'dev'));
    // Every article now needs a `subtitle` that none of them has.
    const type = readFileSync(join(repo.dir, 'content/content-types/article.yaml'), 'utf8');
    writeFileSync(
      join(repo.dir, 'content/content-types/article.yaml'),
      type.replace('\nfields:\n', '\nfields:\n  - guid: 0f0e0d0c-0b0a-4908-8706-050403020100\n    name: subtitle\n    type: text\n    required: true\n    localized: true\n'),
    );
    repo.commit({}, 'require subtitle');
    const r = await ferry(repo.dir, ['deploy', '--env', 'dev']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/content\/items\/article\/[a-z0-9-]+\.yaml:\d+:\d+: FERRY_E_FIELD .*subtitle/);
    expect(dumpStore(store(repo.dir, 'dev'))).toBe(before);
  });

  it('in Full mode, refuses to delete an object that unchanged items still reference', async () => {
    const repo = makeSampleRepo();
    await ferry(repo.dir, ['deploy', '--env', 'dev']);
    const before = dumpStore(store(repo.dir, 'dev'));
    const authors = repo.git('ls-files', 'content/items/author').split('\n');
    const author = authors.find((a) => {
      const guid = /\nguid: (\S+)/.exec(readFileSync(join(repo.dir, a), 'utf8'))![1];
      return repo.git('grep', '-l', guid, '--', 'content/items/article').length > 0;
    })!;
    repo.commit({ [author]: null }, 'delete a referenced author');
    // Refused in every mode, as a fresh restore of the commit would be: the commit itself holds a
    // dangling reference, whether or not the mode applies the deletion (issue 11).
    const cu = await ferry(repo.dir, ['plan', '--env', 'dev', '--mode', 'CreateUpdate']);
    expect(cu.code).toBe(1);
    expect(cu.stderr).toMatch(/content\/items\/article\/[a-z0-9-]+\.yaml:\d+:\d+: error FERRY_E_REFERENCE/);
    const full = await ferry(repo.dir, ['deploy', '--env', 'dev', '--mode', 'Full']);
    expect(full.code).toBe(1);
    expect(full.stderr).toMatch(/content\/items\/article\/[a-z0-9-]+\.yaml:\d+:\d+: FERRY_E_REFERENCE/);
    expect(dumpStore(store(repo.dir, 'dev'))).toBe(before);
  });

  it('treats a new commit with the same repository folder as a no-op, and records it as deployed', async () => {
    const repo = makeSampleRepo();
    await ferry(repo.dir, ['deploy', '--env', 'dev']);
    const head = repo.commit({ 'docs/changelog.md': 'outside the content folder\n' }, 'docs only');
    const r = await ferry(repo.dir, ['deploy', '--env', 'dev', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.result).toBe('no-op');
    expect(out.deployment).toMatchObject({ status: 'no-op', toCommit: head });
    const status = await ferry(repo.dir, ['status', '--env', 'dev', '--json']);
    expect(JSON.parse(status.stdout).environments[0].deployed.toCommit).toBe(head);
  });

  it('refuses a new item whose code name an unchanged item of another type already has (incremental plan)', async () => {
    const repo = makeSampleRepo();
    await ferry(repo.dir, ['deploy', '--env', 'dev']);
    const author = repo.git('ls-files', 'content/items/author').split('\n')[0];
    const text = readFileSync(join(repo.dir, author), 'utf8');
    const copy = text.replace(/\nguid: \S+/, '\nguid: 0a0b0c0d-0e0f-4a1b-8c2d-3e4f5a6b7c8d').replace(/\ncodeName: (\S+)/, '\ncodeName: brewing-ratio');
    const target = `${author.slice(0, author.lastIndexOf('/'))}/brewing-ratio.yaml`;
    repo.commit({ [target]: copy }, 'an author named like an article');
    const r = await ferry(repo.dir, ['deploy', '--env', 'dev']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${target}: FERRY_E_GUID_CLASH contentItem \`brewing-ratio\` has guid 0a0b0c0d-0e0f-4a1b-8c2d-3e4f5a6b7c8d in the repository`);
  });
});
