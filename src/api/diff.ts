import { diffEntries, namesFor, namesInChangeset, referencedGuids } from '../diff/index.js';
import { FerryError } from '../errors/index.js';
import { classifyPath } from '../format/layout.js';
import type { GitPort } from '../git/index.js';
import type { Changeset, Diagnostic, ObjectKind, ObjectName, RepositoryConfig, TreeEntry, TreeReader } from '../model/index.js';
import { createCommitReader, createFolderReader, folderListPrefix, readChangedSnapshots, readCommitChanges, readSnapshotPaths, type LoadedSnapshot } from '../snapshot/index.js';
import { openRepositoryGit, type RepositoryContext } from './context.js';

export interface DiffRequest {
  /** Base revision, or a range `A..B` / `A...B` (merge base of A and B, what a pull request shows). */
  base?: string;
  /** Head revision (default HEAD); ignored with `workingTree`. */
  head?: string;
  /** Compare the base with the working folder (uncommitted files). */
  workingTree?: boolean;
  paths?: string[];
  kinds?: ObjectKind[];
  languages?: string[];
}

export interface DiffResult {
  changeset: Changeset;
  /** Files that changed but could not be read as objects (broken YAML…), reported, not diffed. */
  diagnostics: Diagnostic[];
  base: string;
  head?: string;
  /** Number of object files read (the cost of the diff follows this, not the repository size). */
  filesRead: number;
}

/** Parses `A..B`, `A...B` or separate base/head arguments. */
export function parseRange(base = 'HEAD', head?: string): { base: string; head?: string; mergeBase: boolean } {
  const three = base.indexOf('...');
  if (three >= 0) return { base: base.slice(0, three) || 'HEAD', head: base.slice(three + 3) || 'HEAD', mergeBase: true };
  const two = base.indexOf('..');
  if (two >= 0) return { base: base.slice(0, two) || 'HEAD', head: base.slice(two + 2) || 'HEAD', mergeBase: false };
  return { base, head, mergeBase: false };
}

/**
 * The changeset between two revisions (or a revision and the working folder). Between commits it
 * comes from git's tree diff: only changed blobs are read, old and new, and paired by guid so a
 * moved file is one rename.
 */
export async function diffRevisions(rc: RepositoryContext, req: DiffRequest): Promise<DiffResult> {
  const { repo } = rc;
  const git = await openRepositoryGit(rc);
  try {
    const range = parseRange(req.base, req.head);
    if (req.workingTree && range.head) {
      throw new FerryError('FERRY_E_USAGE', 'Give one revision with --source working-tree: the working folder is the head');
    }
    let base = await git.resolveRevision(range.base);
    const head = req.workingTree ? undefined : await git.resolveRevision(range.head ?? 'HEAD');
    if (range.mergeBase && head) base = await git.mergeBase(base, head);
    const readers = [createCommitReader(git, base), head ? createCommitReader(git, head) : createFolderReader(repo.root)];
    if (req.paths?.length) {
      await refuseUnmatchedPaths(req.paths, readers, head ? `${base.slice(0, 10)} or ${head.slice(0, 10)}` : `${base.slice(0, 10)} or the working tree`);
    }
    const { before, after, filesRead } = head
      ? await readBetweenCommits(git, base, head, repo.config)
      : await readAgainstWorkingTree(createCommitReader(git, base), createFolderReader(repo.root), repo.config);
    // A head file that does not parse is reported as a diagnostic, not shown as a deletion.
    const unreadable = new Set(after.diagnostics.map((d) => d.file).filter((f): f is string => Boolean(f)));
    const baseEntries = before.allEntries.filter((e) => !unreadable.has(e.path));
    const changeset = diffEntries(baseEntries, after.allEntries, { kinds: req.kinds, languages: req.languages, paths: req.paths });
    changeset.base = base;
    changeset.head = head;
    const names = await referenceNames(changeset, readers, repo.config);
    if (Object.keys(names).length) changeset.names = names;
    return {
      changeset,
      // The base side was valid when it was committed; its findings would only repeat old news.
      diagnostics: after.diagnostics,
      base,
      head,
      filesRead,
    };
  } finally {
    await git.close();
  }
}

/**
 * Names of the objects changed references point to. Most are in the changeset; the rest are
 * looked up in the page and asset folders of both sides (small next to the items, and what a
 * parent or an asset reference names). An item a reference points to that the diff did not read
 * keeps its guid: reading every item would make the diff's cost follow the repository.
 */
async function referenceNames(cs: Changeset, readers: TreeReader[], config: RepositoryConfig): Promise<Record<string, ObjectName>> {
  const guids = referencedGuids(cs);
  if (!guids.length) return {};
  const known = namesInChangeset(cs);
  if (guids.some((g) => !known.has(g))) {
    for (const reader of readers) {
      for (const kindFolder of ['pages', 'assets']) {
        const prefix = `${config.folder}/${kindFolder}`;
        const paths = (await reader.list(prefix).catch(() => [])).filter((e) => e.path.endsWith('.yaml') && classifyPath(e.path, config.folder).type === 'object').map((e) => ({ path: e.path, oid: e.oid }));
        if (!paths.length) continue;
        const loaded = await readSnapshotPaths(reader, config, paths);
        for (const e of loaded.allEntries) {
          const o = e.object;
          if ('guid' in o && typeof o.guid === 'string' && !known.has(o.guid)) known.set(o.guid, { kind: o.kind, codeName: o.codeName });
        }
      }
      if (guids.every((g) => known.has(g))) break;
    }
  }
  return namesFor(guids, known);
}

/**
 * A path that names no file on either side is a mistake (a typo, a path relative to the wrong
 * folder), not "no changes": refuse it, as `git diff -- nope` would not say it either.
 */
async function refuseUnmatchedPaths(paths: readonly string[], readers: TreeReader[], where: string): Promise<void> {
  const unmatched: string[] = [];
  for (const raw of paths) {
    const path = raw.replace(/^\.\//, '').replace(/\/+$/, '');
    if (path === '' || path === '.') continue;
    const parent = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    let found = false;
    for (const reader of readers) {
      const entries = await reader.list(parent).catch(() => []);
      if (entries.some((e) => e.path === path || e.path.startsWith(`${path}/`))) {
        found = true;
        break;
      }
    }
    if (!found) unmatched.push(raw);
  }
  if (unmatched.length) {
    throw new FerryError('FERRY_E_NOT_FOUND', `${unmatched.map((p) => `\`${p}\``).join(', ')} ${unmatched.length === 1 ? 'matches' : 'match'} no file in ${where}`, {
      hint: 'Paths are relative to the repository root, e.g. content/items/article; check the spelling with `git ls-files`.',
      data: { paths: unmatched },
    });
  }
}

interface ReadSides {
  before: LoadedSnapshot;
  after: LoadedSnapshot;
  filesRead: number;
}

/** Between commits: git's tree diff names the changed blobs; only those are read, on both sides. */
async function readBetweenCommits(git: GitPort, base: string, head: string, config: RepositoryConfig): Promise<ReadSides> {
  const changes = await readCommitChanges(git, base, head, config, { prefetch: true });
  const { base: before, head: after } = await readChangedSnapshots(git, changes, config, { keepSourceText: 'failed' });
  return { before, after, filesRead: changes.added.length + 2 * changes.modified.length + changes.deleted.length };
}

/** Against the working folder: compare the two listings' blob ids, then read what differs. */
async function readAgainstWorkingTree(baseReader: TreeReader, headReader: TreeReader, config: RepositoryConfig): Promise<ReadSides> {
  const prefix = folderListPrefix(config);
  const [baseList, headList] = await Promise.all([baseReader.list(prefix), headReader.list(prefix)]);
  const objectFiles = (l: TreeEntry[]) => new Map(l.filter((e) => classifyPath(e.path, config.folder).type === 'object').map((e) => [e.path, e.oid] as const));
  const b = objectFiles(baseList);
  const h = objectFiles(headList);
  const basePaths = [...b].filter(([p, oid]) => h.get(p) !== oid).map(([p]) => p);
  const headPaths = [...h].filter(([p, oid]) => b.get(p) !== oid).map(([p]) => p);
  const [before, after] = await Promise.all([
    readSnapshotPaths(baseReader, config, basePaths, { keepSourceText: 'failed' }),
    readSnapshotPaths(headReader, config, headPaths, { keepSourceText: 'failed' }),
  ]);
  return { before, after, filesRead: basePaths.length + headPaths.length };
}
