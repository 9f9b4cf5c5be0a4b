/** The incremental plan reads only what git's tree diff names: no full listing, no full index. */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRepository } from '../../src/api/context.js';
import { openGit } from '../../src/git/index.js';
import type { Store } from '../../src/model/index.js';
import { computePlan } from '../../src/restore/compute-plan.js';
import { createCommitReader } from '../../src/snapshot/index.js';
import { SqliteStore } from '../../src/store/index.js';
import { removeGitRepos } from '../support/gitdir.js';
import { ferry, makeSampleRepo } from '../support/sample-repo.js';

afterAll(() => removeGitRepos());

/** A real store that counts the calls that scale with the whole target. */
function counting(store: Store): { store: Store; calls: { index: number; list: number } } {
  const calls = { index: 0, list: 0 };
  const proxy = new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'index') calls.index += 1;
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store: proxy, calls };
}

describe('incremental plan', () => {
  it('when a changed content type sends the plan down the listing path, a binary replaced in the same commit is still checked', async () => {
    const repo = makeSampleRepo();
    expect((await ferry(repo.dir, ['deploy', '--env', 'dev'])).code).toBe(0);
    const type = join(repo.dir, 'content/content-types/article.yaml');
    writeFileSync(type, readFileSync(type, 'utf8').replace(/^displayName: .*$/m, 'displayName: Articles'));
    const png = join(repo.dir, 'content/assets/logos/ferry-mark.png');
    const bytes = readFileSync(png);
    bytes[bytes.length - 1] ^= 0xff;
    writeFileSync(png, bytes);
    const head = repo.commit({}, 'retitle a type, replace a binary');

    const ctx = { cwd: repo.dir, env: {}, now: () => new Date('2026-01-01T00:00:00Z') };
    const { config } = await loadRepository(ctx);
    const git = await openGit(repo.dir);
    const sqlite = SqliteStore.open(join(repo.dir, '.ferry', 'dev.db'));
    const { store, calls } = counting(sqlite);
    try {
      const computed = await computePlan({ config, environment: 'dev', store, reader: createCommitReader(git, head), commit: head, git });
      // The listing path (a content type changed) read the whole index ...
      expect(calls.index).toBe(1);
      // ... and the replaced binary's asset file was read again and found not to match it.
      expect(computed.diagnostics.map((d) => `${d.file} ${d.code}`)).toContain('content/assets/logos/ferry-mark.yaml FERRY_E_ASSET');
    } finally {
      await sqlite.close();
      await git.close();
    }
  });

  it('after an exact deployment, plans a commit from the tree diff without reading the whole index', async () => {
    const repo = makeSampleRepo();
    expect((await ferry(repo.dir, ['deploy', '--env', 'dev'])).code).toBe(0);
    const file = join(repo.dir, 'content/items/article/brewing-ratio.yaml');
    const deployedOid = execFileSync('git', ['rev-parse', 'HEAD:content/items/article/brewing-ratio.yaml'], { cwd: repo.dir, encoding: 'utf8' }).trim();
    writeFileSync(file, readFileSync(file, 'utf8').replace(/(\n {6}title: )(.*)\n/, '$1Tree diff\n'));
    const head = repo.commit({}, 'edit');

    const ctx = { cwd: repo.dir, env: {}, now: () => new Date('2026-01-01T00:00:00Z') };
    const { config } = await loadRepository(ctx);
    const realGit = await openGit(repo.dir);
    const blobsRead: string[] = [];
    const git = new Proxy(realGit, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (prop === 'readBlobs') return (oids: string[]) => (blobsRead.push(...oids), target.readBlobs(oids));
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const sqlite = SqliteStore.open(join(repo.dir, '.ferry', 'dev.db'));
    const { store, calls } = counting(sqlite);
    try {
      const reader = createCommitReader(git, head);
      let listed = 0;
      const countingReader = { ...reader, list: async (p: string) => ((listed += 1), reader.list(p)), read: reader.read, remember: reader.remember };
      const computed = await computePlan({ config, environment: 'dev', store, reader: countingReader, commit: head, git });
      expect(computed.diagnostics).toEqual([]);
      expect(computed.plan.steps.map((s) => `${s.action} ${s.codeName}`)).toEqual(['update brewing-ratio', 'publish brewing-ratio']);
      expect(calls.index).toBe(0);
      expect(listed).toBe(0);
      // The replaced file's deployed object is found in the store by path and blob id, not by reading the old blob.
      expect(blobsRead.length).toBeGreaterThan(0);
      expect(blobsRead).not.toContain(deployedOid);
    } finally {
      await sqlite.close();
      await realGit.close();
    }
  });
});
