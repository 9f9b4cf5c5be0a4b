import * as fs from 'node:fs';
import { join, resolve as resolvePath, dirname } from 'node:path';
import git from 'isomorphic-git';
import { compareCodePoints } from '../model/compare.js';
import { parseCommitObject } from './commit-object.js';
import { gitError, isFullOid, missingObject, unknownRevision, assertOid } from './errors.js';
import type { CommitInfo, GitPort, TreeDiffEntry, TreeEntry } from './git-port.js';
import { isUnderPrefix, normalizePrefix } from './prefix.js';
import { GITLINK, sortByPath, SYMLINK, symlinkRefused, toDiffEntry } from './tree-entries.js';

type IsoTreeEntry = { mode: string; path: string; oid: string; type: 'commit' | 'blob' | 'tree' };

/** Blob reads in flight at once: enough to overlap file I/O without opening thousands of files. */
const READ_CONCURRENCY = 32;

/**
 * The `GitPort` for machines without a git binary: isomorphic-git over node:fs. It reads the same
 * objects as the plumbing adapter and gives identical answers (the contract test checks), but is
 * 5–11x slower on large repositories (see performance-floors.md), so it is never the default
 * where git exists. Diffs recurse with `readTree` only into subtrees whose ids differ (never
 * `walk()`, which reads every subtree). Limits are listed in src/git/README.md.
 */
export async function createIsoGit(dir: string): Promise<GitPort> {
  const located = locateRepository(dir);
  const shallow = readShallowCommits(located.gitdir);
  return new IsoGit(located.root, located.gitdir, shallow);
}

function locateRepository(start: string): { root: string; gitdir: string } {
  let d = resolvePath(start);
  for (;;) {
    const dotGit = join(d, '.git');
    const st = statOrUndefined(dotGit);
    if (st?.isDirectory()) return { root: d, gitdir: dotGit };
    if (st?.isFile()) {
      // A `.git` file (`gitdir: <path>`): submodules and linked worktrees.
      const m = /^gitdir:\s*(.+?)\s*$/m.exec(fs.readFileSync(dotGit, 'utf8'));
      if (m) return { root: d, gitdir: resolvePath(d, m[1]) };
    }
    if (looksLikeGitDir(d)) return { root: d, gitdir: d };
    const parent = dirname(d);
    if (parent === d) throw gitError(`${start} is not inside a git repository`, { cwd: start });
    d = parent;
  }
}

function looksLikeGitDir(d: string): boolean {
  return !!statOrUndefined(join(d, 'HEAD'))?.isFile() && !!statOrUndefined(join(d, 'objects'))?.isDirectory() && !!statOrUndefined(join(d, 'refs'))?.isDirectory();
}

function statOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch {
    return undefined;
  }
}

/** Commits at the edge of a shallow clone: git treats them as having no parents. */
function readShallowCommits(gitdir: string): Set<string> {
  try {
    return new Set(fs.readFileSync(join(gitdir, 'shallow'), 'utf8').split('\n').filter(isFullOid));
  } catch {
    return new Set();
  }
}

interface RevisionSyntax {
  base: string;
  steps: { op: '~' | '^'; n: number }[];
}

/** `main~2^2`, `HEAD^`, `v1.0^{commit}`, `@`: the subset of gitrevisions(7) Ferry's users type. */
function parseRevision(rev: string): RevisionSyntax | undefined {
  let r = rev;
  while (r.endsWith('^{commit}') || r.endsWith('^{}')) r = r.slice(0, r.lastIndexOf('^{'));
  const cut = r.search(/[~^]/);
  let base = cut === -1 ? r : r.slice(0, cut);
  const rest = cut === -1 ? '' : r.slice(cut);
  if (base === '@') base = 'HEAD';
  if (!base || /[\s:?*[\\]|@\{|\.\.|^-/.test(base)) return undefined;
  const steps: RevisionSyntax['steps'] = [];
  const re = /([~^])(\d*)/y;
  let i = 0;
  while (i < rest.length) {
    re.lastIndex = i;
    const m = re.exec(rest);
    if (!m) return undefined;
    steps.push({ op: m[1] as '~' | '^', n: m[2] === '' ? 1 : Number(m[2]) });
    i = re.lastIndex;
  }
  return { base, steps };
}

class IsoGit implements GitPort {
  readonly adapter = 'isomorphic' as const;
  /** isomorphic-git's pack cache, shared by every call of this port (packs are loaded once). */
  private cache: object = {};

  constructor(
    readonly root: string,
    private readonly gitdir: string,
    private readonly shallow: Set<string>,
  ) {}

  private async readRaw(oid: string): Promise<{ type: string; bytes: Uint8Array }> {
    try {
      const r = await git.readObject({ fs, gitdir: this.gitdir, oid, format: 'content', cache: this.cache });
      const o = r.object as Uint8Array;
      // A plain Uint8Array view (isomorphic-git hands out Buffers), as the plumbing adapter returns.
      return { type: r.type, bytes: new Uint8Array(o.buffer, o.byteOffset, o.byteLength) };
    } catch (e) {
      if ((e as { code?: string }).code === 'NotFoundError') throw missingObject(oid);
      throw gitError(`cannot read git object ${oid}: ${(e as Error).message}`, { oid }, e);
    }
  }

  /** Follows annotated tags down to the commit; undefined when the object is not a commit. */
  private async peelToCommit(oid: string): Promise<string | undefined> {
    for (let depth = 0; depth < 10; depth++) {
      const o = await this.readRaw(oid);
      if (o.type === 'commit') return oid;
      if (o.type !== 'tag') return undefined;
      oid = tagTarget(o.bytes);
    }
    return undefined;
  }

  private async parents(sha: string): Promise<string[]> {
    if (this.shallow.has(sha)) return [];
    const o = await this.readRaw(sha);
    return commitParents(o.bytes);
  }

  private async resolveBase(base: string): Promise<string | undefined> {
    if (isFullOid(base)) return this.peelToCommit(base);
    try {
      const oid = await git.resolveRef({ fs, gitdir: this.gitdir, ref: base });
      return await this.peelToCommit(oid);
    } catch (e) {
      if ((e as { code?: string }).code !== 'NotFoundError' || !/^[0-9a-f]{4,39}$/.test(base)) throw e;
    }
    const oid = await git.expandOid({ fs, gitdir: this.gitdir, oid: base, cache: this.cache });
    return this.peelToCommit(oid);
  }

  async resolveRevision(rev: string): Promise<string> {
    const syntax = parseRevision(rev);
    if (!syntax) throw unknownRevision(rev);
    let sha: string | undefined;
    try {
      sha = await this.resolveBase(syntax.base);
      for (const step of syntax.steps) {
        if (!sha) break;
        if (step.op === '~') {
          for (let i = 0; i < step.n && sha; i++) sha = (await this.parents(sha))[0];
        } else if (step.n > 0) {
          sha = (await this.parents(sha))[step.n - 1];
        }
      }
    } catch {
      throw unknownRevision(rev);
    }
    if (!sha) throw unknownRevision(rev);
    return sha;
  }

  private commitArg(rev: string): Promise<string> {
    return this.resolveRevision(rev);
  }

  async mergeBase(a: string, b: string): Promise<string> {
    const [ca, cb] = await Promise.all([this.commitArg(a), this.commitArg(b)]);
    if (ca === cb) return ca;
    const bases = (await git.findMergeBase({ fs, gitdir: this.gitdir, oids: [ca, cb], cache: this.cache })) as string[];
    if (bases.length === 0) throw unknownRevision(`${a}...${b}`, 'no common ancestor');
    return bases[0];
  }

  private async treeOfCommit(sha: string): Promise<string> {
    const o = await this.readRaw(sha);
    const m = /^tree ([0-9a-f]+)$/m.exec(Buffer.from(o.bytes).toString('latin1'));
    if (!m) throw gitError(`commit ${sha} has no tree`, { sha });
    return m[1];
  }

  private async readTree(oid: string): Promise<IsoTreeEntry[]> {
    try {
      return (await git.readTree({ fs, gitdir: this.gitdir, oid, cache: this.cache })).tree as IsoTreeEntry[];
    } catch (e) {
      if ((e as { code?: string }).code === 'NotFoundError') throw missingObject(oid);
      throw gitError(`cannot read git tree ${oid}: ${(e as Error).message}`, { oid }, e);
    }
  }

  /** The entry a prefix names inside a root tree: a subtree, a single file, or nothing. */
  private async descend(rootTree: string, prefix: string): Promise<IsoTreeEntry | undefined> {
    let entry: IsoTreeEntry = { mode: '040000', path: '', oid: rootTree, type: 'tree' };
    if (!prefix) return entry;
    for (const segment of prefix.split('/')) {
      if (entry.type !== 'tree') return undefined;
      const found = (await this.readTree(entry.oid)).find((e) => e.path === segment);
      if (!found) return undefined;
      entry = found;
    }
    return entry;
  }

  /** Every file below a tree; `base` is the tree's own path. */
  private async collect(treeOid: string, base: string, out: { path: string; oid: string; mode: string }[]): Promise<void> {
    const entries = await this.readTree(treeOid);
    const subtrees: Promise<void>[] = [];
    for (const e of entries) {
      const path = base ? `${base}/${e.path}` : e.path;
      if (e.type === 'tree') subtrees.push(this.collect(e.oid, path, out));
      else if (e.type === 'blob') out.push({ path, oid: e.oid, mode: e.mode });
    }
    await Promise.all(subtrees);
  }

  private async filesAt(entry: IsoTreeEntry | undefined, path: string): Promise<{ path: string; oid: string; mode: string }[]> {
    const out: { path: string; oid: string; mode: string }[] = [];
    if (!entry) return out;
    if (entry.type === 'tree') await this.collect(entry.oid, path, out);
    else if (entry.type === 'blob') out.push({ path, oid: entry.oid, mode: entry.mode });
    return out;
  }

  async listTree(commit: string, prefix: string): Promise<TreeEntry[]> {
    const sha = await this.commitArg(commit);
    const p = normalizePrefix(prefix);
    const files = await this.filesAt(await this.descend(await this.treeOfCommit(sha), p), p);
    const link = files.find((f) => f.mode === SYMLINK);
    if (link) throw symlinkRefused(link.path);
    return sortByPath(files.map(({ path, oid }) => ({ path, oid })));
  }

  async diffTrees(base: string, head: string, prefix: string): Promise<TreeDiffEntry[]> {
    const [b, h] = await Promise.all([this.commitArg(base), this.commitArg(head)]);
    const p = normalizePrefix(prefix);
    const [tb, th] = await Promise.all([this.treeOfCommit(b), this.treeOfCommit(h)]);
    const out: TreeDiffEntry[] = [];
    if (tb !== th) {
      const [eb, eh] = await Promise.all([this.descend(tb, p), this.descend(th, p)]);
      await this.diffEntries(eb, eh, p, out);
    }
    return sortByPath(out.filter((e) => isUnderPrefix(e.path, p)));
  }

  /** Compares one path at both sides; recurses only where tree ids differ. */
  private async diffEntries(a: IsoTreeEntry | undefined, b: IsoTreeEntry | undefined, path: string, out: TreeDiffEntry[]): Promise<void> {
    if (a && b && a.oid === b.oid && a.mode === b.mode) return;
    const aTree = a?.type === 'tree';
    const bTree = b?.type === 'tree';
    if (aTree && bTree) {
      const [ea, eb] = await Promise.all([this.readTree(a!.oid), this.readTree(b!.oid)]);
      const byName = new Map<string, [IsoTreeEntry | undefined, IsoTreeEntry | undefined]>();
      for (const e of ea) byName.set(e.path, [e, undefined]);
      for (const e of eb) byName.set(e.path, [byName.get(e.path)?.[0], e]);
      await Promise.all([...byName].map(([name, [x, y]]) => this.diffEntries(x, y, path ? `${path}/${name}` : name, out)));
      return;
    }
    // A folder replaced by a file (or the reverse): every file of the folder goes, the file comes.
    if (aTree || bTree) {
      const gone = aTree ? await this.filesAt(a, path) : [];
      const come = bTree ? await this.filesAt(b, path) : [];
      for (const f of gone) out.push({ status: 'D', path: f.path, oldOid: f.oid });
      for (const f of come) out.push({ status: 'A', path: f.path, newOid: f.oid });
      if (!aTree) await this.diffEntries(a, undefined, path, out);
      if (!bTree) await this.diffEntries(undefined, b, path, out);
      return;
    }
    const entry = toDiffEntry(
      a && b ? 'M' : a ? 'D' : 'A',
      path,
      a ? modeOf(a) : '000000',
      b ? modeOf(b) : '000000',
      a?.oid ?? '',
      b?.oid ?? '',
    );
    if (entry) out.push(entry);
  }

  async readBlobs(oids: readonly string[]): Promise<Map<string, Uint8Array>> {
    const unique = [...new Set(oids)];
    for (const oid of unique) assertOid(oid);
    const out = new Map<string, Uint8Array>();
    let next = 0;
    const worker = async () => {
      while (next < unique.length) {
        const oid = unique[next++];
        const o = await this.readRaw(oid);
        if (o.type !== 'blob') throw gitError(`git object ${oid} is a ${o.type}, not a blob`, { oid });
        out.set(oid, o.bytes);
      }
    };
    await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, unique.length) }, worker));
    // Callers iterate the map; keep the order they asked in.
    return new Map(unique.map((oid) => [oid, out.get(oid)!]));
  }

  async blobSizes(oids: readonly string[]): Promise<Map<string, number>> {
    // isomorphic-git has no header-only read: the sizes cost a full read of each object.
    const blobs = await this.readBlobs(oids);
    return new Map([...blobs].map(([oid, bytes]) => [oid, bytes.byteLength]));
  }

  async *streamBlob(oid: string): AsyncIterable<Uint8Array> {
    // isomorphic-git inflates objects whole: one chunk (a limit of this adapter, see README).
    const blobs = await this.readBlobs([oid]);
    yield blobs.get(oid)!;
  }

  async commitInfo(rev: string): Promise<CommitInfo> {
    const sha = await this.resolveRevision(rev);
    return parseCommitObject(sha, (await this.readRaw(sha)).bytes);
  }

  async tagsPointingAt(commit: string): Promise<string[]> {
    const sha = await this.commitArg(commit);
    const names = await git.listTags({ fs, gitdir: this.gitdir });
    const hits: string[] = [];
    for (const name of names) {
      const oid = await git.resolveRef({ fs, gitdir: this.gitdir, ref: `refs/tags/${name}` });
      if (oid === sha) {
        hits.push(name);
        continue;
      }
      // Like `git for-each-ref --points-at`: an annotated tag matches by its direct target.
      const o = await this.readRaw(oid);
      if (o.type === 'tag' && tagTarget(o.bytes) === sha) hits.push(name);
    }
    return hits.sort(compareCodePoints);
  }

  /** Every commit reachable from `start` (shallow edges have no parents), stopping at `stop`. */
  private async reachable(start: string, stop: Set<string> = new Set()): Promise<Set<string>> {
    const seen = new Set<string>();
    let frontier = [start];
    while (frontier.length) {
      const next: string[] = [];
      for (const sha of frontier) {
        if (seen.has(sha) || stop.has(sha)) continue;
        seen.add(sha);
        for (const p of await this.parents(sha)) if (!seen.has(p) && !stop.has(p)) next.push(p);
      }
      frontier = next;
    }
    return seen;
  }

  async countCommits(from: string, to: string): Promise<number> {
    const [f, t] = await Promise.all([from === '' ? '' : this.commitArg(from), this.commitArg(to)]);
    const excluded = f === '' ? new Set<string>() : await this.reachable(f);
    return (await this.reachable(t, excluded)).size;
  }

  async isAncestor(a: string, b: string): Promise<boolean> {
    const [ca, cb] = await Promise.all([this.commitArg(a), this.commitArg(b)]);
    if (ca === cb) return true;
    return git.isDescendent({ fs, gitdir: this.gitdir, oid: cb, ancestor: ca, depth: -1, cache: this.cache });
  }

  async workingTreeChanges(prefix: string): Promise<string[]> {
    if (this.root === this.gitdir) return [];
    const rows = await git.statusMatrix({ fs, dir: this.root, gitdir: this.gitdir, filepaths: prefix === '' ? undefined : [prefix.replace(/\/$/, '')], cache: this.cache });
    // [path, HEAD, workdir, stage]: 1,1,1 is unchanged; 0,2,0 untracked; anything else differs.
    return rows
      .filter(([, head, workdir, stage]) => !(head === 1 && workdir === 1 && stage === 1))
      .map(([path]) => path)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  async close(): Promise<void> {
    this.cache = {};
  }
}

function modeOf(e: IsoTreeEntry): string {
  return e.type === 'commit' ? GITLINK : e.mode;
}

function commitParents(raw: Uint8Array): string[] {
  const text = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('latin1');
  const header = text.slice(0, text.indexOf('\n\n') === -1 ? text.length : text.indexOf('\n\n'));
  const parents: string[] = [];
  for (const line of header.split('\n')) if (line.startsWith('parent ')) parents.push(line.slice(7).trim());
  return parents;
}

function tagTarget(raw: Uint8Array): string {
  const m = /^object ([0-9a-f]+)$/m.exec(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('latin1'));
  if (!m) throw gitError('annotated tag without a target');
  return m[1];
}
