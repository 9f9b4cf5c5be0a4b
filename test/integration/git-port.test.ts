import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIsoGit, createPlumbingGit, openGit, type GitPort } from '../../src/git/index.js';
import { removeGitRepos, makeTempDir } from '../support/gitdir.js';
import { buildContractFixture, runGitContract, type ContractFixture } from './git-contract.js';

runGitContract('plumbing (git binary)', createPlumbingGit);
runGitContract('isomorphic-git', createIsoGit);

afterAll(removeGitRepos);

describe('both adapters give identical answers', () => {
  let fx: ContractFixture;
  let ports: GitPort[];
  beforeAll(async () => {
    fx = buildContractFixture();
    ports = [await createPlumbingGit(fx.repo.dir), await createIsoGit(fx.repo.dir)];
  });
  afterAll(async () => {
    for (const p of ports ?? []) await p.close();
  });

  const revs = () => [fx.c1, fx.c2, fx.c3, fx.f1, 'main', 'feature', 'v1', 'v2-notes', 'HEAD~1'];
  const others = () => [fx.c1, fx.c3, 'feature'];
  async function same<T>(ask: (g: GitPort) => Promise<T>): Promise<T> {
    const [a, b] = await Promise.all(ports.map(ask));
    expect(b).toEqual(a);
    return a;
  }

  it('for revisions, trees, diffs, blobs and history', async () => {
    for (const rev of revs()) {
      await same((g) => g.resolveRevision(rev));
      await same((g) => g.commitInfo(rev));
      await same((g) => g.tagsPointingAt(rev));
      for (const prefix of ['', 'content', 'content/items', 'other']) await same((g) => g.listTree(rev, prefix));
      for (const other of others()) {
        const d = await same((g) => g.diffTrees(rev, other, 'content'));
        await same((g) => g.diffTrees(rev, other, ''));
        await same((g) => g.isAncestor(rev, other));
        await same((g) => g.countCommits(rev, other));
        await same((g) => g.mergeBase(rev, other));
        const oids = d.flatMap((e) => [e.oldOid, e.newOid]).filter((x): x is string => !!x);
        await same((g) => g.readBlobs(oids));
      }
    }
  });
});

describe('openGit', () => {
  let fx: ContractFixture;
  beforeAll(() => {
    fx = buildContractFixture();
  });

  it('uses git plumbing by default and isomorphic-git when asked', async () => {
    const a = await openGit(fx.repo.dir);
    const b = await openGit(fx.repo.dir, { adapter: 'isomorphic' });
    const c = await openGit(fx.repo.dir, { env: { FERRY_GIT_ADAPTER: 'isomorphic' } });
    try {
      expect([a.adapter, b.adapter, c.adapter]).toEqual(['plumbing', 'isomorphic', 'isomorphic']);
      expect(await c.resolveRevision('main')).toBe(fx.c3);
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });

  it('finds the repository from a subfolder', async () => {
    for (const adapter of ['plumbing', 'isomorphic'] as const) {
      const g = await openGit(`${fx.repo.dir}/content/items`, { adapter });
      expect(g.root).toBe(fx.repo.dir);
      await g.close();
    }
  });

  it('falls back to isomorphic-git when no git binary is on PATH', async () => {
    const path = process.env.PATH;
    process.env.PATH = makeTempDir('ferry-empty-path-');
    try {
      const g = await openGit(fx.repo.dir);
      expect(g.adapter).toBe('isomorphic');
      expect(await g.resolveRevision('main')).toBe(fx.c3);
      await g.close();
      const forced = await openGit(fx.repo.dir, { adapter: 'plumbing' }).catch((e: unknown) => e);
      expect((forced as { code?: string }).code).toBe('FERRY_E_GIT');
    } finally {
      process.env.PATH = path;
    }
  });

  it('refuses a folder outside any repository', async () => {
    const dir = makeTempDir('ferry-not-a-repo-');
    for (const adapter of ['plumbing', 'isomorphic'] as const) {
      const e = await openGit(dir, { adapter }).catch((err: unknown) => err);
      expect((e as { code?: string }).code, adapter).toBe('FERRY_E_GIT');
    }
  });
});
