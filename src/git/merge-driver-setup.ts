/**
 * Sets up Ferry's merge driver in a clone: the `.gitattributes` line that sends content files to
 * it (committed, shared by everyone) and the `merge.ferry.*` git config that names the command
 * (per clone: git never takes commands from a repository's files). `ferry setup-git` and
 * `ferry init` both call this; other writers of .gitattributes can use
 * `addGitattributesLines` the same way, so each adds its lines and keeps everyone else's.
 */
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FerryError } from '../errors/index.js';
import { runGit } from './run-git.js';

export const MERGE_DRIVER_NAME = 'ferry';
const COMMENT = '# Ferry: merge content files by guid and field (`ferry setup-git` configures the driver per clone).';

/** The attribute line for a repository folder (`content`, or `.` for the repository root). */
export function mergeAttributeLine(folder: string): string {
  const clean = folder.replace(/^\.\/+/, '').replace(/\/+$/, '');
  return `${clean === '' || clean === '.' ? '' : `${clean}/**/`}*.yaml merge=${MERGE_DRIVER_NAME}`;
}

/**
 * `current` with the lines it lacks appended (after `comment`, when any is missing); undefined
 * when it already has them all. Lines are compared with their white space collapsed.
 */
export function addGitattributesLines(current: string, lines: readonly string[], comment?: string): string | undefined {
  const norm = (l: string) => l.trim().split(/\s+/).join(' ');
  const have = new Set(current.split(/\r?\n/).map(norm));
  const missing = lines.filter((l) => !have.has(norm(l)));
  if (missing.length === 0) return undefined;
  const sep = current === '' || current.endsWith('\n') ? '' : '\n';
  return `${current}${sep}${[...(comment ? [comment] : []), ...missing].join('\n')}\n`;
}

/** The driver command git runs: `%O %A %B` are the base, ours (the result goes there) and theirs; `%P` the path. */
export function mergeDriverCommand(cli: string): string {
  return `${cli} merge-file %O %A %B --path %P`;
}

/** This installation's CLI, run by the node on PATH (git runs the driver through a shell). */
export function defaultDriverCli(): string {
  return `node ${shellQuote(fileURLToPath(new URL('../cli/bin.js', import.meta.url)))}`;
}

function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./@:+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export interface SetupMergeDriverRequest {
  /** Repository root (where .gitattributes lives). */
  root: string;
  /** Repository folder relative to the root. */
  folder: string;
  /** How to run Ferry, e.g. `node /abs/node_modules/ferry-cms/dist/cli/bin.js` or `npx --no-install ferry`. */
  cli: string;
  /** Also write the git config (needs a git repository at `root`); false: only .gitattributes. */
  configure: boolean;
  env?: Record<string, string>;
}

export interface SetupMergeDriverResult {
  /** `.gitattributes` was created or extended. */
  attributes: 'created' | 'extended' | 'unchanged';
  /** The driver command written to `merge.ferry.driver`, when configured. */
  driver?: string;
}

export async function setupMergeDriver(req: SetupMergeDriverRequest): Promise<SetupMergeDriverResult> {
  const file = join(req.root, '.gitattributes');
  const exists = existsSync(file);
  const next = addGitattributesLines(exists ? await readFile(file, 'utf8') : '', [mergeAttributeLine(req.folder)], COMMENT);
  if (next !== undefined) await writeFile(file, next);
  const result: SetupMergeDriverResult = { attributes: next === undefined ? 'unchanged' : exists ? 'extended' : 'created' };
  if (!req.configure) return result;
  const driver = mergeDriverCommand(req.cli);
  for (const [key, value] of [
    [`merge.${MERGE_DRIVER_NAME}.name`, 'Ferry: merge content files by guid, field and line'],
    [`merge.${MERGE_DRIVER_NAME}.driver`, driver],
  ]) {
    const r = await runGit(req.root, ['config', '--local', key, value], req.env ?? {});
    if (r.exitCode !== 0) {
      throw new FerryError('FERRY_E_GIT', `git config ${key} failed in ${req.root}: ${r.stderr.trim() || `exit ${r.exitCode}`}`, {
        hint: 'Run `ferry setup-git` inside a git repository (after `git init`).',
      });
    }
  }
  return { ...result, driver };
}
