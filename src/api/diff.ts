import { diffEntries } from '../diff/index.js';
import { FerryError } from '../errors/index.js';
import { decodeFile } from '../format/decode.js';
import { classifyPath } from '../format/layout.js';
import type { GitPort } from '../git/index.js';
import type { Changeset, Diagnostic, ObjectKind, RepositoryConfig, SnapshotEntry, TreeEntry, TreeReader } from '../model/index.js';
import { createCommitReader, createFolderReader } from '../snapshot/index.js';
import { loadRepository, openRepositoryGit, type FerryContext } from './context.js';

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
export async function diffRevisions(ctx: FerryContext, req: DiffRequest): Promise<DiffResult> {
  const repo = await loadRepository(ctx);
  const git = await openRepositoryGit(repo, ctx);
  try {
    const range = parseRange(req.base, req.head);
    if (req.workingTree && range.head) {
      throw new FerryError('FERRY_E_USAGE', 'Give one revision with --source working-tree: the working folder is the head');
    }
    let base = await git.resolveRevision(range.base);
    const head = req.workingTree ? undefined : await git.resolveRevision(range.head ?? 'HEAD');
    if (range.mergeBase && head) base = await git.mergeBase(base, head);
    const baseReader = createCommitReader(git, base);
    const headReader = head ? createCommitReader(git, head) : createFolderReader(repo.root);
    const changed = head ? await changedByTreeDiff(git, base, head, repo.config) : await changedByListing(baseReader, headReader, repo.config);
    // The tree diff already named every blob: the readers need no listing to find them.
    baseReader.remember(changed.known.filter((k) => k.side === 'base'));
    if ('remember' in headReader) headReader.remember(changed.known.filter((k) => k.side === 'head'));
    const [before, after] = await Promise.all([
      decodeAll(baseReader, changed.basePaths, repo.config),
      decodeAll(headReader, changed.headPaths, repo.config),
    ]);
    // A head file that does not parse is reported as a diagnostic, not shown as a deletion.
    const unreadable = new Set(after.diagnostics.map((d) => d.file).filter((f): f is string => Boolean(f)));
    const baseEntries = before.entries.filter((e) => !unreadable.has(e.path));
    const changeset = diffEntries(baseEntries, after.entries, { kinds: req.kinds, languages: req.languages, paths: req.paths });
    changeset.base = base;
    changeset.head = head;
    return {
      changeset,
      diagnostics: [...before.diagnostics, ...after.diagnostics],
      base,
      head,
      filesRead: changed.basePaths.length + changed.headPaths.length,
    };
  } finally {
    await git.close();
  }
}

interface ChangedPaths {
  basePaths: string[];
  headPaths: string[];
  known: Array<{ side: 'base' | 'head'; path: string; oid: string }>;
}

async function changedByTreeDiff(git: GitPort, base: string, head: string, config: RepositoryConfig): Promise<ChangedPaths> {
  const diffs = await git.diffTrees(base, head, config.folder === '.' ? '' : config.folder);
  const basePaths: string[] = [];
  const headPaths: string[] = [];
  const known: ChangedPaths['known'] = [];
  for (const d of diffs) {
    if (classifyPath(d.path, config.folder).type !== 'object') continue;
    if (d.oldOid) {
      basePaths.push(d.path);
      known.push({ side: 'base', path: d.path, oid: d.oldOid });
    }
    if (d.newOid) {
      headPaths.push(d.path);
      known.push({ side: 'head', path: d.path, oid: d.newOid });
    }
  }
  return { basePaths, headPaths, known };
}

async function changedByListing(baseReader: TreeReader, headReader: TreeReader, config: RepositoryConfig): Promise<ChangedPaths> {
  const prefix = config.folder === '.' ? '' : config.folder;
  const [baseList, headList] = await Promise.all([baseReader.list(prefix), headReader.list(prefix)]);
  const objectFiles = (l: TreeEntry[]) => new Map(l.filter((e) => classifyPath(e.path, config.folder).type === 'object').map((e) => [e.path, e.oid] as const));
  const b = objectFiles(baseList);
  const h = objectFiles(headList);
  const basePaths = [...b].filter(([p, oid]) => h.get(p) !== oid).map(([p]) => p);
  const headPaths = [...h].filter(([p, oid]) => b.get(p) !== oid).map(([p]) => p);
  return { basePaths, headPaths, known: [] };
}

async function decodeAll(reader: TreeReader, paths: string[], config: RepositoryConfig): Promise<{ entries: SnapshotEntry[]; diagnostics: Diagnostic[] }> {
  const entries: SnapshotEntry[] = [];
  const diagnostics: Diagnostic[] = [];
  if (!paths.length) return { entries, diagnostics };
  const bytes = await reader.read(paths);
  for (const path of paths) {
    const data = bytes.get(path);
    if (!data) continue;
    const r = decodeFile({ path, bytes: data }, { folder: config.folder, maxFileSize: config.maxFileSize });
    if (r.ok) entries.push(r.entry);
    else diagnostics.push(...r.diagnostics);
  }
  return { entries, diagnostics };
}
