/**
 * `npm start`: the promotion tour on embedded SQLite stores. It copies the sample content into a
 * temporary git repository and drives the real CLI through dev → staging → prod, an edit, a
 * second promotion and a rollback, printing each step. Set FERRY_DEMO_DIR to keep the folder.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { run } from '../cli/main.js';
import { createActionsReporter } from '../github/ci-reporter.js';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);

async function main(): Promise<number> {
  const keep = process.env.FERRY_DEMO_DIR;
  const dir = keep ? resolve(keep) : await mkdtemp(join(tmpdir(), 'ferry-demo-'));
  if (keep) await rm(dir, { recursive: true, force: true });
  const git = (...args: string[]) => execa('git', args, { cwd: dir });
  const env = { ...process.env, GITHUB_ACTIONS: undefined, FORCE_COLOR: process.stdout.isTTY ? '1' : undefined };
  let clock = Date.parse('2026-01-05T09:00:00Z');
  const streams = { cwd: dir, env, stdout: process.stdout, stderr: process.stderr };
  const io = { ...streams, ci: createActionsReporter(streams), now: () => new Date((clock += 60_000)) };
  const ferry = async (...argv: string[]) => {
    process.stdout.write(`\n${bold(`$ ferry ${argv.join(' ')}`)}\n`);
    const code = await run(argv, io);
    if (code !== 0) throw new Error(`ferry ${argv.join(' ')} exited with ${code}`);
    return code;
  };
  const step = (title: string) => process.stdout.write(`\n${bold(`== ${title} ==`)}\n`);

  step(`Setting up a content repository in ${dir}`);
  for (const p of ['content', 'schemas', 'repository.config.yaml']) await cp(join(projectRoot, p), join(dir, p), { recursive: true });
  await writeFile(join(dir, '.gitignore'), '.ferry/\n');
  await git('init', '-q', '-b', 'main');
  await git('config', 'user.name', 'Demo Editor');
  await git('config', 'user.email', 'editor@ferry-coffee.example');
  await git('add', '-A');
  await git('commit', '-q', '-m', 'Sample content: the Ferry coffee shop');

  step('1. Validate the repository and deploy main to dev');
  await ferry('validate');
  await ferry('deploy', '--env', 'dev');

  step('2. Promote dev to staging, then tag a release and promote it to prod');
  await ferry('promote', 'dev', 'staging');
  await git('tag', '-a', 'v1.0.0', '-m', 'First release');
  await ferry('promote', 'staging', 'prod');

  step('3. An editor changes content in a commit');
  const itemPath = await firstItemWith(dir, 'items/article');
  const original = await readFile(join(dir, itemPath), 'utf8');
  const edited = original.replace(/(\n {6}title: )(.*)\n/, (_m, a: string, t: string) => `${a}${t.replace(/^"|"$/g, '')} (updated)\n`);
  await writeFile(join(dir, itemPath), edited);
  await git('commit', '-q', '-am', `Edit ${itemPath.split('/').pop()}`);
  await ferry('diff', 'HEAD~1', '--format', 'markdown');
  await ferry('plan', '--env', 'dev');

  step('4. Deploy the edit to dev and promote it to staging and prod');
  await ferry('deploy', '--env', 'dev');
  await ferry('promote', 'dev', 'staging');
  await git('tag', '-a', 'v1.1.0', '-m', 'Second release');
  await ferry('promote', 'staging', 'prod');

  step('5. Where everything stands');
  await ferry('status');
  await ferry('history', '--env', 'prod');

  step('6. Roll prod back to v1.0.0');
  await ferry('rollback', '--env', 'prod', '--to', 'v1.0.0', '--yes');
  await ferry('status');

  step('Done');
  process.stdout.write(
    `The demo repository is ${dir}${keep ? '' : ' (removed now; set FERRY_DEMO_DIR=path to keep it)'}.\n` +
      'prod runs v1.0.0 again, while dev and staging have v1.1.0: `ferry promote staging prod` would move it forward.\n',
  );
  if (!keep) await rm(dir, { recursive: true, force: true });
  return 0;
}

async function firstItemWith(dir: string, prefix: string): Promise<string> {
  const { stdout } = await execa('git', ['ls-files', `content/${prefix}`], { cwd: dir });
  const files = stdout.split('\n').filter((f) => f.endsWith('.yaml')).sort();
  for (const f of files) {
    const text = await readFile(join(dir, f), 'utf8');
    if (/\n {6}title: /.test(text) && text.includes('status: published')) return f;
  }
  throw new Error(`no published item with a title under content/${prefix}`);
}

main().then(
  (code) => (process.exitCode = code),
  (e) => {
    process.stderr.write(`demo failed: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
