import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeGitRepos } from '../support/gitdir.js';
import { ferry, makeSampleRepo } from '../support/sample-repo.js';
import { dumpStore } from '../support/store-dump.js';

/** What issue 11 reported, as a user runs it: each case fails on the code before the fix. */
afterAll(removeGitRepos);

const storeFile = (dir: string, env: string) => join(dir, '.ferry', `${env}.db`);
const ABOUT = 'content/pages/website/about.yaml';

describe('incremental deploys a user could not trust', () => {
  it('a page headline edit deploys incrementally, and promotes', async () => {
    const repo = makeSampleRepo();
    expect((await ferry(repo.dir, ['deploy', '--env', 'dev'])).code).toBe(0);
    expect((await ferry(repo.dir, ['promote', 'dev', 'staging'])).code).toBe(0);
    const text = readFileSync(join(repo.dir, ABOUT), 'utf8');
    expect(text).toContain('on a busy pier');
    repo.commit({ [ABOUT]: text.replace('on a busy pier', 'on a windy pier') }, 'edit the about page');
    const r = await ferry(repo.dir, ['deploy', '--env', 'dev']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('1 updated');
    const p = await ferry(repo.dir, ['promote', 'dev', 'staging']);
    expect(p.code, p.stderr).toBe(0);
    expect(p.stdout).toContain('1 updated');
  });

  it('a commit that only deletes an asset binary is refused by validate and deploy, onto a deployed and an empty environment', async () => {
    const repo = makeSampleRepo();
    expect((await ferry(repo.dir, ['deploy', '--env', 'dev'])).code).toBe(0);
    const before = dumpStore(storeFile(repo.dir, 'dev'));
    repo.commit({ 'content/assets/photos/latte-art.png': null }, 'remove a binary');

    const v = await ferry(repo.dir, ['validate', '--ref', 'HEAD']);
    expect(v.code).toBe(1);
    expect(v.stdout + v.stderr).toContain('content/assets/photos/latte-art.png is missing');

    const d = await ferry(repo.dir, ['deploy', '--env', 'dev']);
    expect(d.code).toBe(1);
    expect(d.stderr).toContain('FERRY_E_ASSET');
    expect(d.stderr).toContain('content/assets/photos/latte-art.png is missing');
    expect(d.stdout).not.toContain('No changes');
    expect(dumpStore(storeFile(repo.dir, 'dev'))).toBe(before);

    const fresh = await ferry(repo.dir, ['deploy', '--env', 'staging']);
    expect(fresh.code).toBe(1);
    expect(fresh.stderr).toContain('content/assets/photos/latte-art.png is missing');
  });

  it('deleting an item that others still reference is refused in every mode, as a fresh restore refuses it', async () => {
    const repo = makeSampleRepo();
    expect((await ferry(repo.dir, ['deploy', '--env', 'dev'])).code).toBe(0);
    const before = dumpStore(storeFile(repo.dir, 'dev'));
    // An author the articles name.
    repo.commit({ 'content/items/author/maya-okafor.yaml': null }, 'delete an author');
    for (const mode of ['Create', 'CreateUpdate', 'Full']) {
      const r = await ferry(repo.dir, ['deploy', '--env', 'dev', '--mode', mode]);
      expect(r.code, `${mode}: ${r.stdout}`).toBe(1);
      expect(r.stderr).toMatch(/content\/items\/article\/[a-z0-9-]+\.yaml:\d+:\d+: FERRY_E_REFERENCE fields\.author: references content item/);
      // Not the same finding twice: a reference the commit itself breaks is not also "incompatible".
      expect(r.stderr).not.toContain('FERRY_E_INCOMPATIBLE');
    }
    expect(dumpStore(storeFile(repo.dir, 'dev'))).toBe(before);
  });
});

describe('what a deploy says about what it deployed', () => {
  it('warns when the working tree differs from the HEAD it deployed, and says how to deploy it', async () => {
    const repo = makeSampleRepo();
    expect((await ferry(repo.dir, ['deploy', '--env', 'dev'])).code).toBe(0);
    const text = readFileSync(join(repo.dir, ABOUT), 'utf8');
    writeFileSync(join(repo.dir, ABOUT), text.replace('on a busy pier', 'on a windy pier'));

    const d = await ferry(repo.dir, ['deploy', '--env', 'dev']);
    expect(d.code).toBe(0);
    expect(d.stdout).toContain('No changes');
    expect(d.stderr).toContain(`warning: the working tree differs from the deployed revision HEAD`);
    expect(d.stderr).toContain(ABOUT);
    expect(d.stderr).toContain('--source working-tree');

    const p = await ferry(repo.dir, ['plan', '--env', 'dev']);
    expect(p.stderr).toContain('warning: the working tree differs from the planned revision HEAD');

    // An explicit revision, or CI (clean checkouts), says nothing.
    expect((await ferry(repo.dir, ['deploy', '--env', 'dev', '--ref', 'HEAD'])).stderr).not.toContain('warning');
    expect((await ferry(repo.dir, ['deploy', '--env', 'dev'], { CI: 'true' })).stderr).not.toContain('warning');

    const w = await ferry(repo.dir, ['deploy', '--env', 'dev', '--source', 'working-tree']);
    expect(w.code, w.stderr).toBe(0);
    expect(w.stdout).toContain('1 updated');
  });

  it('status shows the deployment that produced the content, not a later no-op', async () => {
    const repo = makeSampleRepo();
    expect((await ferry(repo.dir, ['deploy', '--env', 'dev'])).code).toBe(0);
    expect((await ferry(repo.dir, ['deploy', '--env', 'dev'])).stdout).toContain('recorded as no-op');
    const s = await ferry(repo.dir, ['status', '--env', 'dev']);
    expect(s.code).toBe(0);
    expect(s.stdout).toMatch(/when: .*\(deployment #1, CreateUpdate\)/);
    expect(s.stdout).toMatch(/checked: .*\(deployment #2, no changes\)/);
    const json = JSON.parse((await ferry(repo.dir, ['status', '--env', 'dev', '--json'])).stdout);
    expect(json.environments[0].producedBy.id).toBe(1);
    expect(json.environments[0].deployed.id).toBe(2);
    const h = await ferry(repo.dir, ['history', '--env', 'dev']);
    expect(h.stdout).toMatch(/#2.*no-op/);
  });
});
