import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { CONFIG_FILE } from '../../api/context.js';
import { renderJsonEnvelope } from '../../report/json.js';
import type { CommandOutcome } from '../exit-for.js';
import { FerryError } from '../../errors/ferry-error.js';
import { parseYaml } from '../../format/parse-yaml.js';
import { defaultDriverCli, setupMergeDriver } from '../../git/merge-driver-setup.js';
import { runGit } from '../../git/run-git.js';
import type { CliIo, GlobalOptions } from '../io.js';

export interface SetupGitFlags extends GlobalOptions {
  driver?: string;
}

/** The repository folder named in repository.config.yaml (read as YAML only: no secrets needed). */
export async function configuredFolder(root: string): Promise<string> {
  const file = join(root, CONFIG_FILE);
  if (!existsSync(file)) return 'content';
  const parsed = parseYaml(await readFile(file), { filename: CONFIG_FILE, maxFileSize: 1 << 20 });
  const folder = parsed.ok && typeof parsed.value === 'object' && parsed.value !== null ? (parsed.value as { folder?: unknown }).folder : undefined;
  return typeof folder === 'string' && folder !== '' ? folder : 'content';
}

/** `ferry setup-git`: the merge driver's .gitattributes line and git config for this clone. */
export default async function setupGit(io: CliIo, _args: readonly unknown[], opts: SetupGitFlags): Promise<CommandOutcome> {
  const top = await runGit(io.cwd, ['rev-parse', '--show-toplevel'], {});
  if (top.exitCode !== 0) {
    throw new FerryError('FERRY_E_GIT', `${io.cwd} is not inside a git repository`, { hint: 'Run `git init` (or clone the repository) first, then `ferry setup-git`.' });
  }
  const root = findConfigRoot(io.cwd, top.stdout.trim());
  const result = await setupMergeDriver({ root, folder: await configuredFolder(root), cli: opts.driver ?? defaultDriverCli(), configure: true });
  if (opts.json) {
    io.stdout.write(renderJsonEnvelope('ok', { root, ...result }));
    return { kind: 'done' };
  }
  io.stdout.write(`${result.attributes === 'unchanged' ? 'kept    ' : `${result.attributes} `} .gitattributes\n`);
  io.stdout.write(`set      merge.ferry.driver = ${result.driver}\n`);
  return { kind: 'done' };
}

/** The folder holding repository.config.yaml between cwd and the git top level, else the top level. */
function findConfigRoot(cwd: string, top: string): string {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, CONFIG_FILE))) return dir;
    if (dir === resolve(top) || dirname(dir) === dir) return resolve(top);
  }
}
