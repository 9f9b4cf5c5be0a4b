import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { normalizeFerrySpec, type FerrySpec } from '../../api/ferry-spec.js';
import { initRepository } from '../../api/init.js';
import { FerryError } from '../../errors/ferry-error.js';
import { renderJsonEnvelope } from '../../report/json.js';
import type { CommandOutcome } from '../exit-for.js';
import { resolveFormat, type CliIo, type GlobalOptions } from '../io.js';
import { assertWritableFolder } from '../user-files.js';

const SOURCE_NOTE: Record<FerrySpec['source'], string> = {
  option: 'from --ferry-spec',
  registry: 'the published version this Ferry runs as',
  tarball: 'the tarball this Ferry was installed from; keep it where the path points, or pass --ferry-spec',
  git: 'the git URL this Ferry was installed from',
  path: 'the folder this Ferry runs from; for a shareable repository pass --ferry-spec with a git URL, tarball URL or version',
  version: 'the version this Ferry runs as',
};

export interface InitFlags extends GlobalOptions {
  force?: boolean;
  lfs?: boolean;
  ferrySpec?: string;
}

export default async function init(io: CliIo, args: readonly unknown[], opts: InitFlags): Promise<CommandOutcome> {
  const [dir] = args as [string | undefined];
  const root = resolve(io.cwd, dir ?? '.');
  assertWritableFolder(io.cwd, root, 'the folder');
  if (typeof opts.ferrySpec === 'string' && opts.ferrySpec.trim() === '') {
    throw new FerryError('FERRY_E_USAGE', '--ferry-spec needs an npm spec: a version range, a git URL or a tarball path or URL', { hint: 'e.g. --ferry-spec github:ferry-cms/ferry#v0.1.0 (README, "Install").' });
  }
  const ferrySpec = typeof opts.ferrySpec === 'string' ? normalizeFerrySpec(opts.ferrySpec, io.cwd, root) : undefined;
  // A local tarball or folder must be there, or the scaffold's first `npm install` fails.
  if (ferrySpec?.spec.startsWith('file:') && !existsSync(resolve(root, ferrySpec.spec.slice('file:'.length)))) {
    throw new FerryError('FERRY_E_FILE', `Cannot read --ferry-spec ${opts.ferrySpec}: no such file or folder`, { hint: 'Give the path of a tarball made with `npm pack`, or of a Ferry checkout, relative to the current folder.' });
  }
  const result = await initRepository({ dir: root, force: opts.force, lfs: opts.lfs, ferrySpec });
  if (resolveFormat(io, opts, ['text', 'json']) === 'json') {
    io.stdout.write(renderJsonEnvelope('ok', result));
    return { kind: 'done' };
  }
  for (const p of result.written) io.stdout.write(`created  ${p}\n`);
  for (const p of result.extended) io.stdout.write(`extended ${p}\n`);
  for (const p of result.kept) io.stdout.write(`kept     ${p} (add "ferry-cms": "${result.ferry.spec}" to its devDependencies if it is missing)\n`);
  for (const p of result.keptIdentities) io.stdout.write(`kept the guids of ${p}\n`);
  if (!result.kept.includes('package.json')) io.stdout.write(`package.json depends on ferry-cms ${result.ferry.spec} (${SOURCE_NOTE[result.ferry.source]})\n`);
  const where = relative(io.cwd, result.root) || '.';
  io.stdout.write(
    [
      '',
      `A Ferry content repository is ready in ${where}. Next:`,
      ...(where === '.' ? [] : [`  cd ${where}`]),
      '  npm install                 # installs ferry-cms and writes package-lock.json (the workflows run npm ci)',
      ...(opts.lfs ? ['  git lfs install             # once per machine: asset binaries go to Git LFS (.gitattributes)'] : []),
      '  npx ferry validate',
      '  git init -b main && git add -A && git commit -m "Ferry content repository"',
      '  npx ferry setup-git          # per clone: git merges content files with Ferry\'s merge driver',
      'Then set the store secrets for the workflows (README.md, "Content (Ferry)").',
      '',
    ].join('\n'),
  );
  return { kind: 'done' };
}
