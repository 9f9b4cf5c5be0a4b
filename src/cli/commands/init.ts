import { relative, resolve } from 'node:path';
import { EXIT } from '../../errors/catalog.js';
import { initRepository } from '../../github/init.js';
import { resolveFormat, type CliIo } from '../io.js';

export default async function init(io: CliIo, args: unknown[], opts: Record<string, any>): Promise<number> {
  const [dir] = args as [string | undefined];
  const result = await initRepository({ dir: resolve(io.cwd, dir ?? '.'), force: opts.force, lfs: opts.lfs });
  if (resolveFormat(io, opts, ['text', 'json']) === 'json') {
    io.stdout.write(JSON.stringify({ status: 'ok', ...result }, null, 2) + '\n');
    return EXIT.ok;
  }
  for (const p of result.written) io.stdout.write(`created  ${p}\n`);
  for (const p of result.extended) io.stdout.write(`extended ${p}\n`);
  for (const p of result.kept) io.stdout.write(`kept     ${p} (add "ferry-cms" to its devDependencies if it is missing)\n`);
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
  return EXIT.ok;
}
