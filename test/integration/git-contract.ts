/**
 * The contract every GitPort adapter passes, on real repositories made with the git CLI: a normal
 * repository with loose objects, a packed bare clone and a shallow clone.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GitPort } from '../../src/git/index.js';
import { isFerryError } from '../../src/errors/index.js';
import { makeGitRepo, runGit, type GitRepo } from '../support/gitdir.js';

/** Bytes with NUL, CR, LF and every byte value: reads must be binary-exact. */
export const BINARY = Uint8Array.from([0, 10, 13, 10, 0, 0, 255, 254, ...Array.from({ length: 256 }, (_, i) => i), 10]);

/** Spaces, a tab, a newline and non-ASCII letters: -z output must be parsed, never quoted. */
export const ODD_PATH = 'other/odd dir/tab\there, new\nline, ünï€ode.txt';

/** 300 KB of pseudo-random bytes: an object that spans many pipe chunks. */
export const BIG = (() => {
  const b = new Uint8Array(300_000);
  let x = 2463534242;
  for (let i = 0; i < b.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
})();

export interface ContractFixture {
  repo: GitRepo;
  /** c1 (tag v1, annotated) → c2 (tags v2 lightweight, v2-notes annotated) → c3 = main; feature: c2 → f1. */
  c1: string;
  c2: string;
  c3: string;
  f1: string;
  bare: string;
  shallow: string;
}

export function buildContractFixture(): ContractFixture {
  const repo = makeGitRepo({
    'content/items/article/a.yaml': 'title: A\n',
    'content/items/article/b.yaml': 'title: B\n',
    'content/items/news/n.yaml': 'title: N\n',
    'content/items/swap': 'a file that becomes a folder\n',
    'content/assets/img/logo.bin': BINARY,
    'content/README.md': '# content\n',
    'content2/x.yaml': 'x: 1\n',
    'content.txt': 'not in content/\n',
    'other/outside.txt': 'o1\n',
    'other/big.bin': BIG,
    [ODD_PATH]: 'a file with an odd name\n',
  });
  const c1 = repo.head();
  repo.tag('v1', { message: 'Release 1' });
  const c2 = repo.commit(
    {
      'content/items/article/a.yaml': 'title: A2\n',
      'content/items/article/b.yaml': null,
      'content/items/news/deep/er/new.yaml': 'title: New\n',
      'content2/x.yaml': 'x: 2\n',
      'other/outside.txt': 'o2\n',
    },
    'Edit articles\n\nAdds a news item\nand removes b.',
  );
  repo.tag('v2');
  repo.tag('v2-notes', { message: 'Notes for 2' });
  repo.switchTo('feature', { create: true });
  const f1 = repo.commit({ 'content/items/news/n.yaml': 'title: N feature\n' }, 'Feature work');
  repo.switchTo('main');
  const c3 = repo.commit(
    {
      'content/items/swap': null,
      'content/items/swap/inner.yaml': 'now a folder\n',
      'content/assets/img/logo.bin': Uint8Array.from([...BINARY, 0, 0, 10]),
    },
    'Swap a file for a folder',
  );
  const bare = repo.cloneBare();
  runGit(bare, ['gc', '-q']);
  const shallow = repo.cloneShallow(2);
  return { repo, c1, c2, c3, f1, bare, shallow };
}

async function expectRevisionError(p: Promise<unknown>, rev: string): Promise<void> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(isFerryError(e), `expected a FerryError for ${rev}, got ${String(e)}`).toBe(true);
  const fe = e as { code: string; message: string; exitCode: number };
  expect(fe.code).toBe('FERRY_E_REVISION');
  expect(fe.message).toContain(`unknown revision \`${rev}\``);
  expect(fe.exitCode).toBe(5);
}

export function runGitContract(name: string, open: (dir: string) => Promise<GitPort>): void {
  describe(`GitPort contract: ${name}`, () => {
    let fx: ContractFixture;
    let git: GitPort;
    const blobOid = (rev: string, path: string) => fx.repo.git('rev-parse', `${rev}:${path}`);

    beforeAll(async () => {
      fx = buildContractFixture();
      git = await open(fx.repo.dir);
    });
    afterAll(async () => {
      await git?.close();
    });

    describe('resolveRevision', () => {
      it('resolves a full sha, a short sha, a branch, tags, HEAD and ancestry', async () => {
        expect(await git.resolveRevision(fx.c2)).toBe(fx.c2);
        expect(await git.resolveRevision(fx.c2.slice(0, 8))).toBe(fx.c2);
        expect(await git.resolveRevision('main')).toBe(fx.c3);
        expect(await git.resolveRevision('feature')).toBe(fx.f1);
        expect(await git.resolveRevision('refs/heads/feature')).toBe(fx.f1);
        expect(await git.resolveRevision('HEAD')).toBe(fx.c3);
        expect(await git.resolveRevision('HEAD~1')).toBe(fx.c2);
        expect(await git.resolveRevision('HEAD~2')).toBe(fx.c1);
        expect(await git.resolveRevision('main^')).toBe(fx.c2);
        expect(await git.resolveRevision('HEAD^^')).toBe(fx.c1);
        expect(await git.resolveRevision('v2')).toBe(fx.c2);
        // Annotated tags peel to their commit.
        expect(await git.resolveRevision('v1')).toBe(fx.c1);
        expect(await git.resolveRevision('v2-notes')).toBe(fx.c2);
        expect(await git.resolveRevision('v1^{commit}')).toBe(fx.c1);
      });

      it('refuses unknown revisions with FERRY_E_REVISION', async () => {
        await expectRevisionError(git.resolveRevision('nope'), 'nope');
        await expectRevisionError(git.resolveRevision('HEAD~3'), 'HEAD~3');
        await expectRevisionError(git.resolveRevision('0'.repeat(40)), '0'.repeat(40));
        await expectRevisionError(git.resolveRevision('--all'), '--all');
        await expectRevisionError(git.resolveRevision(''), '');
        // A blob is not a commit.
        await expectRevisionError(git.resolveRevision(blobOid(fx.c1, 'content.txt')), blobOid(fx.c1, 'content.txt'));
      });

      it('reports unknown revisions from the other methods too', async () => {
        await expectRevisionError(git.listTree('nope', ''), 'nope');
        await expectRevisionError(git.diffTrees('main', 'nope', 'content'), 'nope');
        await expectRevisionError(git.diffTrees('f'.repeat(40), 'main', 'content'), 'f'.repeat(40));
      });
    });

    describe('listTree', () => {
      it('lists every file below a prefix, recursively, sorted, with blob ids', async () => {
        const entries = await git.listTree(fx.c2, 'content');
        expect(entries.map((e) => e.path)).toEqual([
          'content/README.md',
          'content/assets/img/logo.bin',
          'content/items/article/a.yaml',
          'content/items/news/deep/er/new.yaml',
          'content/items/news/n.yaml',
          'content/items/swap',
        ]);
        for (const e of entries) expect(e.oid).toBe(blobOid(fx.c2, e.path));
      });

      it('treats the prefix as a folder boundary and accepts trailing slashes and ./', async () => {
        const plain = await git.listTree('HEAD', 'content');
        expect(plain.some((e) => e.path.startsWith('content2/') || e.path === 'content.txt')).toBe(false);
        expect(await git.listTree('HEAD', './content/')).toEqual(plain);
        const nested = await git.listTree('HEAD', 'content/items/news');
        expect(nested.map((e) => e.path)).toEqual(['content/items/news/deep/er/new.yaml', 'content/items/news/n.yaml']);
      });

      it('lists the whole tree for "" and "." and nothing for a missing folder', async () => {
        const all = await git.listTree(fx.c1, '');
        expect(all.map((e) => e.path)).toEqual(fx.repo.git('ls-tree', '-r', '-z', '--name-only', fx.c1).split('\0').filter(Boolean));
        expect(all.find((e) => e.path === ODD_PATH)?.oid).toBe(fx.repo.git('hash-object', 'other/odd dir/tab\there, new\nline, ünï€ode.txt'));
        expect(await git.listTree(fx.c1, '.')).toEqual(all);
        expect(await git.listTree(fx.c1, 'no/such/folder')).toEqual([]);
      });
    });

    describe('diffTrees', () => {
      it('reports added, modified and deleted files in nested folders, ignoring changes outside the prefix', async () => {
        const d = await git.diffTrees(fx.c1, fx.c2, 'content');
        expect(d).toEqual([
          { status: 'M', path: 'content/items/article/a.yaml', oldOid: blobOid(fx.c1, 'content/items/article/a.yaml'), newOid: blobOid(fx.c2, 'content/items/article/a.yaml') },
          { status: 'D', path: 'content/items/article/b.yaml', oldOid: blobOid(fx.c1, 'content/items/article/b.yaml') },
          { status: 'A', path: 'content/items/news/deep/er/new.yaml', newOid: blobOid(fx.c2, 'content/items/news/deep/er/new.yaml') },
        ]);
      });

      it('sees the whole tree with an empty prefix, and nothing between equal commits', async () => {
        const d = await git.diffTrees(fx.c1, fx.c2, '');
        expect(d.map((e) => `${e.status} ${e.path}`)).toEqual([
          'M content/items/article/a.yaml',
          'D content/items/article/b.yaml',
          'A content/items/news/deep/er/new.yaml',
          'M content2/x.yaml',
          'M other/outside.txt',
        ]);
        expect(await git.diffTrees(fx.c2, 'v2', 'content')).toEqual([]);
        expect(await git.diffTrees(fx.c1, fx.c2, 'content/assets')).toEqual([]);
      });

      it('reports a file replaced by a folder as a delete and an add, and binary changes', async () => {
        const d = await git.diffTrees('HEAD~1', 'HEAD', 'content');
        expect(d.map((e) => `${e.status} ${e.path}`)).toEqual([
          'M content/assets/img/logo.bin',
          'D content/items/swap',
          'A content/items/swap/inner.yaml',
        ]);
        const back = await git.diffTrees('HEAD', 'HEAD~1', 'content/items');
        expect(back.map((e) => `${e.status} ${e.path}`)).toEqual(['A content/items/swap', 'D content/items/swap/inner.yaml']);
      });

      it('gives the same entries when asked to prefetch, and the prefetched blobs read back byte-exact, once each', async () => {
        const asked: string[] = [];
        const d = await git.diffTrees(fx.c1, fx.c2, '', {
          prefetch: (e) => {
            const oids = [e.oldOid, e.newOid].filter((o): o is string => o !== undefined);
            asked.push(...oids);
            return oids;
          },
        });
        expect(d).toEqual(await git.diffTrees(fx.c1, fx.c2, ''));
        // An adapter may ignore prefetching; one that does prefetch asks for every entry's blobs.
        if (asked.length) expect(new Set(asked)).toEqual(new Set(d.flatMap((e) => [e.oldOid, e.newOid].filter(Boolean))));
        const oids = d.flatMap((e) => [e.oldOid, e.newOid].filter((o): o is string => o !== undefined));
        const first = await git.readBlobs(oids);
        const again = await git.readBlobs(oids);
        for (const oid of oids) {
          expect(Buffer.from(first.get(oid)!).equals(execBytes(fx.repo.dir, oid))).toBe(true);
          expect(Buffer.from(again.get(oid)!).equals(execBytes(fx.repo.dir, oid))).toBe(true);
        }
      });

      it('diffs across branches by revision names', async () => {
        const d = await git.diffTrees('main', 'feature', 'content/items/news');
        expect(d).toEqual([{ status: 'M', path: 'content/items/news/n.yaml', oldOid: blobOid('main', 'content/items/news/n.yaml'), newOid: blobOid('feature', 'content/items/news/n.yaml') }]);
      });
    });

    describe('readBlobs', () => {
      it('reads many blobs at once, byte-exact, duplicates once', async () => {
        const entries = await git.listTree(fx.c2, '');
        const oids = entries.map((e) => e.oid);
        const blobs = await git.readBlobs([...oids, ...oids]);
        expect(blobs.size).toBe(new Set(oids).size);
        for (const e of entries) {
          const expected = execBytes(fx.repo.dir, e.oid);
          expect(Buffer.from(blobs.get(e.oid)!).equals(expected), e.path).toBe(true);
        }
        const logo = blobs.get(blobOid(fx.c2, 'content/assets/img/logo.bin'))!;
        expect(Buffer.from(logo).equals(Buffer.from(BINARY))).toBe(true);
        const big = blobs.get(blobOid(fx.c2, 'other/big.bin'))!;
        expect(Buffer.from(big).equals(Buffer.from(BIG))).toBe(true);
      });

      it('answers concurrent requests correctly and reads an empty list', async () => {
        const entries = await git.listTree('HEAD', '');
        const results = await Promise.all(entries.map((e) => git.readBlobs([e.oid])));
        results.forEach((m, i) => expect(Buffer.from(m.get(entries[i].oid)!).equals(execBytes(fx.repo.dir, entries[i].oid))).toBe(true));
        expect((await git.readBlobs([])).size).toBe(0);
      });

      it('reads an empty blob', async () => {
        const emptyBlob = fx.repo.git('hash-object', '-w', '--stdin');
        const m = await git.readBlobs([emptyBlob]);
        expect(m.get(emptyBlob)?.length).toBe(0);
      });

      it('fails clearly for a missing object, and keeps working afterwards', async () => {
        const missing = 'ab'.repeat(20);
        const e = await git.readBlobs([missing]).catch((err: unknown) => err);
        expect(isFerryError(e) && e.code).toBe('FERRY_E_GIT');
        expect(String((e as Error).message)).toContain(missing);
        const oid = blobOid('HEAD', 'content.txt');
        expect(Buffer.from((await git.readBlobs([oid])).get(oid)!).toString()).toBe('not in content/\n');
      });
    });

    describe('blobSizes and streamBlob', () => {
      it('give the sizes and, chunk by chunk, the exact bytes readBlobs gives', async () => {
        const entries = await git.listTree(fx.c2, '');
        const oids = entries.map((e) => e.oid);
        const [sizes, blobs] = await Promise.all([git.blobSizes([...oids, ...oids]), git.readBlobs(oids)]);
        expect(sizes.size).toBe(new Set(oids).size);
        for (const e of entries) {
          expect(sizes.get(e.oid), e.path).toBe(blobs.get(e.oid)!.byteLength);
          const chunks: Buffer[] = [];
          for await (const c of git.streamBlob(e.oid)) chunks.push(Buffer.from(c));
          expect(Buffer.concat(chunks).equals(Buffer.from(blobs.get(e.oid)!)), e.path).toBe(true);
        }
        expect((await git.blobSizes([])).size).toBe(0);
      });

      it('fail clearly for a missing object (FERRY_E_GIT)', async () => {
        const missing = 'cd'.repeat(20);
        const e = await git.blobSizes([missing]).catch((err: unknown) => err);
        expect(isFerryError(e) && e.code).toBe('FERRY_E_GIT');
        const s = await (async () => {
          for await (const c of git.streamBlob(missing)) void c;
        })().catch((err: unknown) => err);
        expect(isFerryError(s) && s.code).toBe('FERRY_E_GIT');
        expect(String((s as Error).message)).toContain(missing);
      });
    });

    describe('history', () => {
      it('finds merge bases', async () => {
        expect(await git.mergeBase('main', 'feature')).toBe(fx.c2);
        expect(await git.mergeBase(fx.c1, 'main')).toBe(fx.c1);
        expect(await git.mergeBase('main', 'main')).toBe(fx.c3);
      });

      it('counts commits and tells ancestors', async () => {
        expect(await git.countCommits(fx.c1, 'main')).toBe(2);
        expect(await git.countCommits('main', 'feature')).toBe(1);
        expect(await git.countCommits('main', 'main')).toBe(0);
        expect(await git.countCommits('', 'main')).toBe(3);
        expect(await git.countCommits('', 'feature')).toBe(3);
        expect(await git.isAncestor(fx.c1, 'main')).toBe(true);
        expect(await git.isAncestor('main', 'main')).toBe(true);
        expect(await git.isAncestor('feature', 'main')).toBe(false);
        expect(await git.isAncestor('main', fx.c1)).toBe(false);
      });

      it('lists tags pointing at a commit, lightweight and annotated, sorted', async () => {
        expect(await git.tagsPointingAt(fx.c2)).toEqual(['v2', 'v2-notes']);
        expect(await git.tagsPointingAt('v1')).toEqual(['v1']);
        expect(await git.tagsPointingAt('main')).toEqual([]);
      });

      it('reads commit info like git log does', async () => {
        const info = await git.commitInfo('v2');
        const expected = fx.repo.git('log', '-1', '--format=%H%n%s%n%an%n%ae%n%aI', fx.c2).split('\n');
        expect(info).toEqual({ sha: expected[0], subject: expected[1], authorName: expected[2], authorEmail: expected[3], date: expected[4] });
        expect(info.subject).toBe('Edit articles');
        expect(info.date).toBe('2024-05-01T10:02:00+00:00');
      });
    });

    describe('in a packed bare clone', () => {
      let bare: GitPort;
      beforeAll(async () => {
        bare = await open(fx.bare);
      });
      afterAll(async () => {
        await bare?.close();
      });

      it('uses the git directory as root and answers as the original does', async () => {
        expect(bare.root).toBe(fx.bare);
        expect(await bare.resolveRevision('main')).toBe(fx.c3);
        expect(await bare.resolveRevision('v1')).toBe(fx.c1);
        expect(await bare.listTree('main', 'content')).toEqual(await git.listTree('main', 'content'));
        expect(await bare.diffTrees(fx.c1, 'main', '')).toEqual(await git.diffTrees(fx.c1, 'main', ''));
        const oids = (await git.listTree('main', '')).map((e) => e.oid);
        expect(await bare.readBlobs(oids)).toEqual(await git.readBlobs(oids));
        expect(await bare.mergeBase('main', 'feature')).toBe(fx.c2);
        expect(await bare.tagsPointingAt(fx.c2)).toEqual(['v2', 'v2-notes']);
      });
    });

    describe('in a shallow clone (depth 2)', () => {
      let shallow: GitPort;
      beforeAll(async () => {
        shallow = await open(fx.shallow);
      });
      afterAll(async () => {
        await shallow?.close();
      });

      it('reads the commits it has and refuses the ones cut off', async () => {
        expect(shallow.root).toBe(fx.shallow);
        expect(await shallow.resolveRevision('HEAD')).toBe(fx.c3);
        expect(await shallow.resolveRevision('HEAD~1')).toBe(fx.c2);
        expect(await shallow.resolveRevision('origin/main')).toBe(fx.c3);
        await expectRevisionError(shallow.resolveRevision('HEAD~2'), 'HEAD~2');
        await expectRevisionError(shallow.resolveRevision(fx.c1), fx.c1);
        const d = await shallow.diffTrees('HEAD~1', 'HEAD', 'content');
        expect(d).toEqual(await git.diffTrees(fx.c2, fx.c3, 'content'));
        const oids = d.flatMap((e) => (e.newOid ? [e.newOid] : []));
        expect(await shallow.readBlobs(oids)).toEqual(await git.readBlobs(oids));
        expect(await shallow.countCommits('HEAD~1', 'HEAD')).toBe(1);
        // History stops at the shallow edge, as `git rev-list --count` says.
        expect(await shallow.countCommits('', 'HEAD')).toBe(2);
        expect(await shallow.isAncestor('HEAD~1', 'HEAD')).toBe(true);
      });
    });

    describe('workingTreeChanges', () => {
      it('names modified, deleted and untracked files under a prefix, not ignored ones, and nothing when clean', async () => {
        const repo = makeGitRepo({ 'content/a.yaml': 'a: 1\n', 'content/sub/b.yaml': 'b: 1\n', 'other/c.txt': 'c\n', '.gitignore': 'content/*.tmp\n' });
        const port = await open(repo.dir);
        try {
          expect(await port.workingTreeChanges('content/')).toEqual([]);
          repo.write({ 'content/a.yaml': 'a: 2\n', 'content/sub/b.yaml': null, 'content/new.yaml': 'n: 1\n', 'content/x.tmp': 'ignored\n', 'other/c.txt': 'outside\n' });
          expect(await port.workingTreeChanges('content/')).toEqual(['content/a.yaml', 'content/new.yaml', 'content/sub/b.yaml']);
          expect(await port.workingTreeChanges('')).toEqual(['content/a.yaml', 'content/new.yaml', 'content/sub/b.yaml', 'other/c.txt']);
        } finally {
          await port.close();
        }
      });
    });
  });
}

function execBytes(cwd: string, oid: string): Buffer {
  return execFileSyncBuffer(cwd, ['cat-file', 'blob', oid]);
}

function execFileSyncBuffer(cwd: string, args: string[]): Buffer {
  return execFileSync('git', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}
