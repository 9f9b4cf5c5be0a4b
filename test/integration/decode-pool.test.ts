/**
 * Large loads parse in worker threads (src/snapshot/decode-pool.ts). Workers run the built
 * JavaScript, so this test drives dist/ (built by `npm test` before vitest runs).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeGitRepos } from '../support/gitdir.js';
import { makeSampleRepo, PROJECT_ROOT } from '../support/sample-repo.js';
import { assertBuilt } from '../support/serve.js';

afterAll(() => removeGitRepos());

describe('parsing in worker threads', () => {
  it('gives the same entries, diagnostics and texts as parsing on the main thread', async () => {
    assertBuilt();
    const dist = (p: string) => import(join(PROJECT_ROOT, 'dist', p));
    const { readSnapshot, createFolderReader, createCommitReader } = await dist('snapshot/index.js');
    const { loadRepository } = await dist('api/context.js');
    const { openGit } = await dist('git/index.js');
    const repo = makeSampleRepo();
    // One broken file and one with a schema error, so diagnostics cross the thread boundary too.
    writeFileSync(join(repo.dir, 'content/items/article/broken.yaml'), 'kind: contentItem\nguid: [unclosed\n');
    writeFileSync(join(repo.dir, 'content/workspaces/extra.yaml'), 'kind: workspace\ncodeName: extra\ncolour: blue\n');
    const ctx = { cwd: repo.dir, env: {}, now: () => new Date() };
    const { config } = await loadRepository(ctx);

    const inline = await readSnapshot(createFolderReader(repo.dir), config, { decodeWorkers: 0 });
    const pooled = await readSnapshot(createFolderReader(repo.dir), config, { decodeWorkers: 2 });
    expect(inline.allEntries.length).toBeGreaterThan(70);
    expect(inline.diagnostics.map((d: { file: string; code: string }) => `${d.file} ${d.code}`)).toEqual(
      expect.arrayContaining(['content/items/article/broken.yaml FERRY_E_YAML', 'content/workspaces/extra.yaml FERRY_E_SCHEMA']),
    );
    expect(pooled.allEntries).toEqual(inline.allEntries);
    expect(pooled.diagnostics).toEqual(inline.diagnostics);
    expect(pooled.filteredOut).toEqual(inline.filteredOut);
    expect(pooled.sourceText('content/items/article/broken.yaml')).toBe(inline.sourceText('content/items/article/broken.yaml'));

    const git = await openGit(repo.dir);
    try {
      const sha = await git.resolveRevision('HEAD');
      const fromCommit = await readSnapshot(createCommitReader(git, sha), config, { decodeWorkers: 1 });
      expect(fromCommit.allEntries.map((e: { key: string }) => e.key)).toEqual(
        inline.allEntries.map((e: { key: string }) => e.key).filter((k: string) => fromCommit.entries.has(k)),
      );
      expect(fromCommit.diagnostics).toEqual([]);
    } finally {
      await git.close();
    }
  });
});
