import { Command, CommanderError, Option } from 'commander';
import { FerryError, isFerryError } from '../errors/ferry-error.js';
import { ERROR_CATALOG, EXIT } from '../errors/catalog.js';
import { renderErrorEnvelope } from '../report/json.js';
import { VERSION } from '../version.js';
import { exitFor, type CommandOutcome } from './exit-for.js';
import type { CliIo } from './io.js';

/**
 * A command module's default export. Each command declares its own flags type (`<Verb>Flags`);
 * commander's parsed options are handed over as that type here, the one place they are untyped.
 */
type Handler = (io: CliIo, args: readonly unknown[], flags: never) => Promise<CommandOutcome>;

/** Commands are imported when they run, so `ferry --version` stays fast. */
const COMMANDS: Record<string, () => Promise<{ default: unknown }>> = {
  validate: () => import('./commands/validate.js'),
  fmt: () => import('./commands/fmt.js'),
  diff: () => import('./commands/diff.js'),
  plan: () => import('./commands/plan.js'),
  deploy: () => import('./commands/deploy.js'),
  promote: () => import('./commands/promote.js'),
  status: () => import('./commands/status.js'),
  history: () => import('./commands/history.js'),
  migrate: () => import('./commands/migrate.js'),
  rollback: () => import('./commands/rollback.js'),
  serialize: () => import('./commands/serialize.js'),
  errors: () => import('./commands/errors.js'),
  textconv: () => import('./commands/textconv.js'),
  'merge-file': () => import('./commands/merge-file.js'),
  'setup-git': () => import('./commands/setup-git.js'),
  release: () => import('./commands/release.js'),
  changelog: () => import('./commands/changelog.js'),
  init: () => import('./commands/init.js'),
  'pr-comment': () => import('./commands/pr-comment.js'),
  serve: () => import('./commands/serve.js'),
  pull: () => import('./commands/pull.js'),
  // A new command needs a line here (static imports let bundlers and vitest resolve them).
};
const load = (name: string) => async (): Promise<Handler> => {
  const loader = COMMANDS[name];
  if (!loader) throw new Error(`command module ${name} is not registered in COMMANDS`);
  return (await loader()).default as Handler;
};

const formatOption = (choices: string[]) => new Option('--format <format>', 'output format').choices(choices);

function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

/**
 * Runs the CLI in-process and returns its exit status (`exitFor` decides it). Only bin.ts sets the
 * process's exit status; it also wires the CI reporter in, as tests do.
 * @example
 * const streams = { cwd, env: process.env, stdout: process.stdout, stderr: process.stderr };
 * const code = await run(['validate'], { ...streams, ci: createActionsReporter(streams) });
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  let status = 0;
  const program = new Command('ferry');
  program
    .description('Git-backed content repository with CI/CD-driven promotion between environments')
    .version(VERSION, '-v, --version')
    .option('--json', 'machine-readable JSON output (no colour, no progress)')
    .option('--no-color', 'never colour the output')
    .option('-q, --quiet', 'no progress output')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });

  const def = (cmd: Command, name: string) =>
    cmd.action(async (...all: unknown[]) => {
      const command = all[all.length - 1] as Command;
      const flags = { ...program.opts(), ...command.opts() };
      const args = all.slice(0, -2);
      status = exitFor(await (await load(name)())(io, args, flags as never));
      await io.ci.finished(status);
    });

  def(
    program
      .command('validate')
      .description('Validate the repository folder (working tree, a revision, or only what changed)')
      .option('--ref <rev>', 'validate the snapshot at a git revision instead of the working tree')
      .option('--changed <range>', 'validate only what changed in BASE...HEAD plus what references it')
      .addOption(formatOption(['text', 'json', 'github', 'markdown']))
      .addHelpText('after', examples(['ferry validate', 'ferry validate --ref origin/main --format json', 'ferry validate --changed origin/main...HEAD'])),
    'validate',
  );
  def(
    program
      .command('fmt')
      .description('Rewrite content files canonically (or check that they are)')
      .argument('[paths...]', 'files or folders inside the repository folder (default: all)')
      .option('--check', 'change nothing; exit 1 listing the files that are not canonical (FERRY_E_FMT)')
      .option('--fix-assets', "also recompute each asset's size and sha256 from its binary (after replacing an image)")
      .addHelpText('after', examples(['ferry fmt', 'ferry fmt --check', 'ferry fmt content/items/article', 'ferry fmt --fix-assets content/assets/photos'])),
    'fmt',
  );
  def(
    program
      .command('diff')
      .description('Show the content changes between two revisions, object by object and field by field')
      .argument('[base]', 'base revision, or a range BASE..HEAD / BASE...HEAD (merge base)', 'HEAD')
      .argument('[head]', 'head revision (default HEAD; the working tree with --source working-tree)')
      .argument('[paths...]', 'limit the diff to these paths')
      .option('--source <source>', '`working-tree` compares the base with uncommitted files')
      .addOption(formatOption(['text', 'markdown', 'json']))
      .option('--stat', 'counts only')
      .option('--kind <kinds>', 'only these kinds (comma-separated)')
      .option('--lang <languages>', 'only changes in these languages (comma-separated)')
      .option('--out <file>', 'also write the full report (not truncated) to this file')
      .option('--max-length <n>', 'markdown: truncate past this many characters', '65000')
      .addHelpText('after', examples(['ferry diff HEAD~1', 'ferry diff origin/main...HEAD --format markdown --out diff.md', 'ferry diff v1.0.0 v1.1.0 --stat --kind contentItem'])),
    'diff',
  );
  def(
    program
      .command('plan')
      .description("Show what deploying a revision would do to an environment")
      .requiredOption('--env <name>', 'target environment')
      .option('--ref <rev>', 'revision to plan (default HEAD)')
      .option('--source <source>', '`working-tree` plans the uncommitted folder')
      .addOption(new Option('--mode <mode>', 'restore mode').choices(['Create', 'CreateUpdate', 'Full']))
      .addOption(formatOption(['text', 'markdown', 'json']))
      .option('--detailed-exitcode', 'exit 0 when there is nothing to do, 2 when there are changes (no other failure exits 2), 1 on errors')
      .option('--reconcile', "compare every file with the environment's index instead of diffing from its deployed commit")
      .option('--verbose', 'list every skipped step')
      .addHelpText('after', examples(['ferry plan --env staging', 'ferry plan --env prod --ref v1.2.0 --format markdown', 'ferry plan --env staging --detailed-exitcode'])),
    'plan',
  );
  def(
    program
      .command('deploy')
      .description('Validate, plan and apply a revision to an environment in one transaction')
      .requiredOption('--env <name>', 'target environment')
      .option('--ref <rev>', 'revision to deploy (default HEAD)')
      .option('--source <source>', '`working-tree` deploys the uncommitted folder (not promotable)')
      .addOption(new Option('--mode <mode>', 'restore mode (default from repository.config.yaml)').choices(['Create', 'CreateUpdate', 'Full']))
      .option('--dry-run', 'plan and validate only; write nothing')
      .option('--verify-external', "fetch each created/updated external asset's source URL and check its size and sha256 first")
      .option('--actor <name>', 'who deploys (default $GITHUB_ACTOR or git user.name)')
      .option('--lock-timeout <seconds>', 'wait this long for another deployment to finish', '60')
      .option('--reconcile', "compare every file with the environment's index instead of diffing from its deployed commit")
      .addOption(formatOption(['text', 'markdown', 'json', 'github']))
      .addHelpText('after', examples(['ferry deploy --env dev', 'ferry deploy --env staging --ref main --mode Full', 'ferry deploy --env dev --source working-tree --dry-run'])),
    'deploy',
  );
  def(
    program
      .command('promote')
      .description('Deploy to the next environment exactly the commit the previous one has')
      .argument('<from>', 'environment to promote from')
      .argument('<to>', 'the environment that follows it in the chain')
      .addOption(new Option('--mode <mode>', 'restore mode').choices(['Create', 'CreateUpdate', 'Full']))
      .option('--dry-run', 'plan only')
      .option('--actor <name>', 'who promotes')
      .option('--lock-timeout <seconds>', 'lock wait', '60')
      .addOption(formatOption(['text', 'markdown', 'json', 'github']))
      .addHelpText('after', examples(['ferry promote dev staging', 'ferry promote staging prod --dry-run'])),
    'promote',
  );
  def(
    program
      .command('status')
      .description('Where each environment stands: deployed commit, lag behind its predecessor, drift')
      .option('--env <name>', 'only this environment')
      .option('--drift', 'list the drifted objects')
      .addOption(formatOption(['text', 'json', 'markdown']))
      .addHelpText('after', examples(['ferry status', 'ferry status --env prod --drift'])),
    'status',
  );
  def(
    program
      .command('migrate')
      .description("Bring an environment's store schema up to date (every command does it on first use; this does it on purpose)")
      .requiredOption('--env <name>', 'environment')
      .addOption(formatOption(['text', 'json']))
      .addHelpText('after', examples(['ferry migrate --env prod', 'FERRY_STORE_PROD=postgres://ferry@db.internal/ferry_prod ferry migrate --env prod --json'])),
    'migrate',
  );
  def(
    program
      .command('history')
      .description("An environment's deployments, newest first")
      .requiredOption('--env <name>', 'environment')
      .option('--limit <n>', 'how many', '20')
      .addOption(formatOption(['text', 'json', 'markdown']))
      .addHelpText('after', examples(['ferry history --env prod', 'ferry history --env staging --limit 5 --json'])),
    'history',
  );
  def(
    program
      .command('rollback')
      .description('Deploy an earlier commit in Full mode after showing the plan')
      .requiredOption('--env <name>', 'environment')
      .requiredOption('--to <target>', 'deployment id (#3), tag or revision')
      .option('--yes', 'do not ask for confirmation')
      .option('--actor <name>', 'who rolls back')
      .option('--lock-timeout <seconds>', 'lock wait', '60')
      .addOption(formatOption(['text', 'json']))
      .addHelpText('after', examples(['ferry rollback --env prod --to v1.1.0', 'ferry rollback --env prod --to "#4" --yes'])),
    'rollback',
  );
  def(
    program
      .command('serialize')
      .description("Write an environment's content back to canonical files")
      .requiredOption('--env <name>', 'environment')
      .option('--out <dir>', 'repository root to write into (default: this repository)')
      .addHelpText('after', examples(['ferry serialize --env dev', 'ferry serialize --env prod --out /tmp/prod-content'])),
    'serialize',
  );
  def(
    program
      .command('errors')
      .description('List every error code with its exit status (the README table is made from it)')
      .addOption(formatOption(['text', 'markdown', 'json'])),
    'errors',
  );

  def(
    program
      .command('textconv')
      .description('Print the semantic view of a content file (git diff driver: one line per field)')
      .argument('<file>', 'a content YAML file')
      .addHelpText(
        'after',
        `\nSet up once per clone so git diff and git log -p show field-level changes:\n  $ git config diff.ferry.textconv "npx --no-install ferry textconv"\n  $ echo 'content/**/*.yaml diff=ferry' >> .gitattributes\n` +
          examples(['ferry textconv content/items/article/coffee-origins.yaml']),
      ),
    'textconv',
  );
  def(
    program
      .command('merge-file')
      .description('Three-way merge of one content file by guid, field and line (git merge driver); exit 1 on conflicts')
      .argument('<base>', 'the common ancestor (git: %O)')
      .argument('<ours>', 'our version; the result is written here (git: %A)')
      .argument('<theirs>', 'their version (git: %B)')
      .option('--path <path>', "the file's path in the repository (git: %P), for messages and its schema link")
      .addHelpText('after', `\nSet up once per clone with \`ferry setup-git\`; git then runs it for every content file it merges.\n` + examples(['ferry merge-file base.yaml ours.yaml theirs.yaml --path content/items/article/coffee-origins.yaml'])),
    'merge-file',
  );
  def(
    program
      .command('setup-git')
      .description('Use Ferry as the merge driver of content files: the .gitattributes line and this clone\'s git config')
      .option('--driver <command>', 'how git should run Ferry (default: this installation, `node <path>/dist/cli/bin.js`)')
      .addHelpText('after', examples(['ferry setup-git', 'ferry setup-git --driver "npx --no-install ferry"'])),
    'setup-git',
  );
  // @commands:github (release, changelog, init, pr-comment) — registered below this line
  def(
    program
      .command('release')
      .description('Tag a release: an annotated tag whose message is the content changelog since the previous release')
      .addOption(new Option('--bump <part>', 'version part to increase over the previous release tag (default patch)').choices(['patch', 'minor', 'major']).conflicts('tag'))
      .option('--tag <name>', 'tag name (must match releaseTagPattern) instead of a bump')
      .option('--ref <rev>', 'commit to tag (default HEAD)')
      .option('--push', 'push the tag to origin')
      .option('--notes <file>', 'also write the changelog as Markdown release notes to this file')
      .option('--dry-run', 'check and print the changelog; create no tag')
      .addOption(formatOption(['text', 'markdown', 'json']))
      .addHelpText('after', examples(['ferry release', 'ferry release --bump minor --push --notes notes.md', 'ferry release --tag v2.0.0 --ref main --dry-run'])),
    'release',
  );
  def(
    program
      .command('changelog')
      .description('The content changelog between two revisions (counts, then changed objects by kind), for release notes')
      .argument('<from>', 'start revision, usually the previous release tag')
      .argument('[to]', 'end revision', 'HEAD')
      .addOption(formatOption(['text', 'markdown', 'json']))
      .addHelpText('after', examples(['ferry changelog v1.0.0', 'ferry changelog v1.0.0 v1.1.0 --format markdown > notes.md', 'ferry changelog v1.0.0 HEAD --format json'])),
    'changelog',
  );
  def(
    program
      .command('init')
      .description('Scaffold a content repository: config, content folder, schemas, GitHub workflows')
      .argument('[dir]', 'folder to create it in', '.')
      .option('--force', 'overwrite files that exist (the starter objects keep their guids)')
      .option('--lfs', 'also track asset binaries (images, video, PDF) with Git LFS in .gitattributes')
      .option('--ferry-spec <spec>', 'npm spec the scaffold depends on (default: how this Ferry was installed)')
      .addOption(formatOption(['text', 'json']))
      .addHelpText(
        'after',
        examples([
          'ferry init',
          'ferry init my-content',
          'ferry init . --force',
          'ferry init --lfs',
          'ferry init my-content --ferry-spec github:ferry-cms/ferry#v0.1.0',
          'ferry init my-content --ferry-spec ../ferry-cms-0.1.0.tgz',
        ]),
      ),
    'init',
  );
  def(
    program
      .command('pr-comment')
      .description('Post a Markdown file as the pull request comment Ferry updates in place (GitHub Actions)')
      .requiredOption('--file <file>', 'Markdown file to post')
      .option('--marker <name>', 'hidden marker naming the sticky comment', 'content-review')
      .option('--number <n>', 'pull request number (default: from GITHUB_EVENT_PATH)')
      .addHelpText('after', examples(['ferry pr-comment --file ferry-review.md', 'ferry pr-comment --file plan.md --marker prod-plan'])),
    'pr-comment',
  );
  // @commands:transport (serve, pull) — registered below this line
  def(
    program
      .command('serve')
      .description("Run the Ferry instance of one environment: signed content sync over HTTP(S) to its local store")
      .requiredOption('--env <name>', 'environment whose local store this instance serves')
      .option('--port <n>', 'port to listen on (0: any free port, printed in the first log line)', '7480')
      .option('--host <host>', 'address to listen on; anything but loopback requires --tls-cert/--tls-key', '127.0.0.1')
      .option('--tls-cert <file>', 'PEM certificate (chain) for HTTPS')
      .option('--tls-key <file>', 'PEM private key for HTTPS')
      .option('--store <url>', "serve this local store instead of the environment's configured one")
      .option('--tasks-db <file>', 'SQLite file for synchronization tasks and nonces of a SQLite store (default: <store file>.sync.db); a PostgreSQL store keeps them in its database')
      .option('--task-retention <duration>', 'delete finished tasks after this long', '24h')
      .option('--max-package-size <size>', 'largest package accepted', '256MB')
      .option('--lock-lease <duration>', 'a deployment lock lapses when its client stops renewing it for this long', '30s')
      .option('--shutdown-timeout <duration>', 'on SIGTERM, wait this long for open requests', '10s')
      .option('--durable', 'commit with SQLite synchronous=FULL: a power loss loses no committed deployment (same as `durable: true` in the config)')
      .option('--body-timeout <duration>', 'answer 408 and close the connection when a request body has not fully arrived this long after its headers', '2m')
      .addHelpText(
        'after',
        examples([
          'FERRY_SYNC_SECRET=$(cat /run/secrets/ferry) ferry serve --env prod',
          'ferry serve --env prod --host 0.0.0.0 --port 8443 --tls-cert cert.pem --tls-key key.pem',
          'ferry serve --env staging --port 0 --task-retention 7d',
        ]) + '\nThe shared secret comes from the variable named by the environment\'s `secretEnv` (default FERRY_SYNC_SECRET), at least 32 characters.\n' +
          'GET /metrics (Prometheus) answers loopback clients only, or with FERRY_METRICS_TOKEN set, requests that send `Authorization: Bearer <token>`.\n',
      ),
    'serve',
  );
  def(
    program
      .command('pull')
      .description("Write an environment's content (local or remote instance) as canonical files into the working tree; never deploys")
      .requiredOption('--from <name>', 'environment to pull from')
      .option('--out <dir>', 'repository root to write into (default: this repository)')
      .addOption(formatOption(['text', 'json']))
      .addHelpText('after', examples(['ferry pull --from prod', 'ferry pull --from prod && git diff --stat', 'ferry pull --from staging --out /tmp/staging-content'])),
    'pull',
  );

  try {
    refuseUnknownOptions(program, argv);
    await program.parseAsync([...argv], { from: 'user' });
    return status;
  } catch (e) {
    const code = reportError(e, io, { json: Boolean(program.opts().json) || wantsJson(argv) });
    if (code !== EXIT.ok) await io.ci.failed(errorCodeOf(e));
    return code;
  }
}

/**
 * Names a misspelt option before commander complains about something else (a missing required
 * option hides `--evn` behind "required option '--env' not specified"), with the closest known one.
 */
function refuseUnknownOptions(program: Command, argv: readonly string[]): void {
  const name = argv.find((a) => !a.startsWith('-'));
  const command = program.commands.find((c) => c.name() === name);
  if (!command) return;
  const flags = (c: Command) => c.options.flatMap((o) => [o.long, o.short].filter((f): f is string => Boolean(f)));
  const known = new Set([...flags(program), ...flags(command), '--help', '-h']);
  for (const arg of argv) {
    if (arg === '--') break;
    if (!arg.startsWith('--')) continue;
    const flag = arg.split('=')[0];
    if (known.has(flag)) continue;
    const suggestion = closest(flag, [...known].filter((k) => k.startsWith('--')));
    throw new FerryError('FERRY_E_USAGE', `Unknown option ${flag} for ferry ${command.name()}${suggestion ? ` (did you mean ${suggestion}?)` : ''}`, {
      hint: `Run \`ferry ${command.name()} --help\` for its options.`,
      data: { option: flag, ...(suggestion ? { suggestion } : {}) },
    });
  }
}

/** The known flag nearest to `flag` by edit distance, when it is near enough to be a typo. */
function closest(flag: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of [...known].sort()) {
    const d = editDistance(flag, k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return bestDistance <= Math.max(2, Math.floor(flag.length / 4)) ? best : undefined;
}

/** Damerau–Levenshtein (optimal string alignment) distance: a swapped pair of letters is one edit. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** `--format json` (or `--format=json`) anywhere before `--`: errors get the JSON envelope too. */
function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  const args = end < 0 ? argv : argv.slice(0, end);
  return args.some((a, i) => a === '--format=json' || (a === '--format' && args[i + 1] === 'json'));
}

function errorCodeOf(e: unknown): string {
  if (isFerryError(e)) return e.code;
  return e instanceof CommanderError ? 'FERRY_E_USAGE' : 'FERRY_E_INTERNAL';
}

/** Prints a thrown error (text on stderr, or the JSON error envelope on stdout) and returns `exitFor` its status. */
export function reportError(e: unknown, io: Pick<CliIo, 'stdout' | 'stderr'>, opts: { json?: boolean } = {}): number {
  const status = exitFor({ kind: 'error', error: e });
  if (e instanceof CommanderError) {
    // Commander has printed its message on stderr; a machine reading stdout gets the envelope.
    if (opts.json && status !== EXIT.ok) io.stdout.write(renderErrorEnvelope({ code: 'FERRY_E_USAGE', message: e.message.replace(/^error: /, ''), hint: ERROR_CATALOG.FERRY_E_USAGE.hint }));
    return status;
  }
  if (isFerryError(e)) {
    if (opts.json) {
      io.stdout.write(renderErrorEnvelope({ ...e.toJSON(), code: e.code, message: e.message, hint: e.hint }));
    } else {
      const loc = e.loc ? `${e.loc.file}${e.loc.line ? `:${e.loc.line}` : ''}${e.loc.line && e.loc.column ? `:${e.loc.column}` : ''}: ` : '';
      io.stderr.write(`ferry: ${loc}${e.message} (${e.code})\n`);
      // A diagnostic that only repeats the message (a config error is both) is printed once.
      const repeats = (d: (typeof e.diagnostics)[number]) => d.message === e.message || e.message.endsWith(d.message);
      for (const d of e.diagnostics.filter((x) => x.severity === 'error' && !repeats(x)).slice(0, 50)) {
        const dl = d.file ? `${d.file}${d.line ? `:${d.line}` : ''}${d.line && d.column ? `:${d.column}` : ''}: ` : '';
        io.stderr.write(`  ${dl}${d.code} ${d.message}\n`);
      }
      io.stderr.write(`hint: ${e.hint}\n`);
    }
    return status;
  }
  const message = e instanceof Error ? (e.stack ?? e.message) : String(e);
  if (opts.json) io.stdout.write(renderErrorEnvelope({ code: 'FERRY_E_INTERNAL', message: e instanceof Error ? e.message : String(e), hint: ERROR_CATALOG.FERRY_E_INTERNAL.hint }));
  io.stderr.write(`ferry: internal error (a bug in Ferry; please report it):\n${message}\n`);
  return status;
}
