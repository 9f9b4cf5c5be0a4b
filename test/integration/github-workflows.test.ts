/**
 * Runs the exact commands of the content workflows (.github/workflows/content-*.yml, which are the
 * `ferry init` templates run from the built CLI) in temp git repositories made from the sample
 * content, with a simulated GitHub Actions environment: event payloads, GITHUB_* variables, a
 * fresh GITHUB_OUTPUT / GITHUB_STEP_SUMMARY per step, and GITHUB_API_URL pointing at a local
 * server that speaks the comment endpoints.
 */
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGitRepo, makeTempDir, removeGitRepos, runGit, type FileTree, type GitRepo } from '../support/gitdir.js';
import { startFakeGithub, type FakeGithub } from './github-api-server.js';
import { startServe, stopAllServers } from '../support/serve.js';
import { ferry, requireBuiltCli } from './github-cli.js';
import { BUILT_CLI, readWorkflow, runJob, type Contexts, type JobResult, type Workflow } from './github-workflow-runner.js';

const ROOT = join(import.meta.dirname, '..', '..');
const REPO = 'acme/content';
const TOKEN = 'ghs_workflow_test_token_0123456789';
const MARKER = '<!-- ferry:content-review -->';

/** The sample content of this repo (content/, schemas/) with the repository.config.yaml `ferry init` writes. */
function sampleTree(): FileTree {
  const tree: FileTree = { 'repository.config.yaml': readFileSync(join(ROOT, 'templates', 'repository.config.yaml')) };
  for (const top of ['content', 'schemas']) {
    for (const e of readdirSync(join(ROOT, top), { recursive: true, withFileTypes: true })) {
      if (e.isFile()) tree[relative(ROOT, join(e.parentPath, e.name)).split('\\').join('/')] = readFileSync(join(e.parentPath, e.name));
    }
  }
  tree['.gitignore'] = '.ferry/\nferry-*.md\nnode_modules/\n';
  return tree;
}

/** What `npm ci` leaves in a content repository that depends on ferry-cms: the bin link (here to the built CLI). */
function linkFerryBin(dir: string): void {
  mkdirSync(join(dir, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(BUILT_CLI, join(dir, 'node_modules', '.bin', 'ferry'));
}

function edit(repo: GitRepo, path: string, from: string | RegExp, to: string): string {
  const text = readFileSync(join(repo.dir, path), 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`no ${from} in ${path}`);
  return next;
}

function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`no ${needle}`);
  return i + 1;
}

/** The runner's default variables plus the test's isolation from the machine. */
function runnerEnv(dir: string, extra: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    TMPDIR: process.env.TMPDIR ?? '/tmp',
    GIT_CONFIG_NOSYSTEM: '1',
    NO_COLOR: '1',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: dir,
    GITHUB_REPOSITORY: REPO,
    GITHUB_REPOSITORY_OWNER: 'acme',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_ACTOR: 'octocat',
    GITHUB_RUN_ID: '4242',
    RUNNER_OS: 'Linux',
    ...extra,
  };
}

let gh: FakeGithub;
beforeAll(async () => {
  requireBuiltCli();
  gh = await startFakeGithub({ repo: REPO, token: TOKEN });
});
afterAll(async () => {
  await gh.close();
  removeGitRepos();
});

describe('content-review.yml on a pull request', () => {
  const workflow = readWorkflow(join(ROOT, '.github', 'workflows', 'content-review.yml'));
  let origin: GitRepo;
  let work: string;
  let stagingUrl: string;
  const prNumber = 7;
  const badPath = 'content/items/article/espresso-basics.yaml';
  let badLine = 0;

  beforeAll(async () => {
    origin = makeGitRepo(sampleTree(), { message: 'initial content' });
    // Staging has main deployed; the pull request is planned against it.
    stagingUrl = `sqlite:${join(makeTempDir('ferry-stores-'), 'staging.db')}`;
    const deployed = await ferry(['deploy', '--env', 'staging'], { cwd: origin.dir, env: { FERRY_STORE_STAGING: stagingUrl } });
    expect(deployed.code, deployed.stderr).toBe(0);
    // The pull request: one good edit and one schema error, on a branch of the origin.
    origin.switchTo('feature', { create: true });
    const broken = edit(origin, badPath, 'status: published', 'status: live');
    badLine = lineOf(broken, 'status: live');
    origin.commit(
      {
        'content/items/article/coffee-origins.yaml': edit(origin, 'content/items/article/coffee-origins.yaml', 'title: Where our coffee comes from', 'title: Where our coffee is grown'),
        [badPath]: broken,
      },
      'Retitle coffee-origins; break espresso-basics',
    );
    origin.switchTo('main');
    // The runner's checkout: a full clone on the pull request's merge commit (refs/pull/N/merge).
    work = join(makeTempDir('ferry-checkout-'), 'repo');
    runGit(origin.dir, ['clone', '-q', `file://${origin.dir}`, work]);
    linkFerryBin(work);
  });

  /** Fetches the branch, makes the merge commit GitHub would test, writes the event, runs the job. */
  async function runReview(label: string): Promise<{ job: JobResult; merge: string }> {
    runGit(work, ['fetch', '-q', 'origin']);
    runGit(work, ['checkout', '-q', '--detach', 'origin/main']);
    runGit(work, ['merge', '-q', '--no-ff', '-m', `Merge ${'a'.repeat(40)} into main`, 'origin/feature']);
    const merge = runGit(work, ['rev-parse', 'HEAD']);
    const head = runGit(work, ['rev-parse', 'origin/feature']);
    const base = runGit(work, ['rev-parse', 'origin/main']);
    const tmp = makeTempDir(`ferry-runner-${label}-`);
    const event = {
      action: 'synchronize',
      number: prNumber,
      pull_request: {
        number: prNumber,
        state: 'open',
        title: 'Retitle coffee-origins',
        user: { login: 'octocat' },
        head: { ref: 'feature', sha: head, repo: { full_name: REPO } },
        base: { ref: 'main', sha: base, repo: { full_name: REPO } },
      },
      repository: { full_name: REPO, default_branch: 'main' },
      sender: { login: 'octocat' },
    };
    const eventPath = join(tmp, 'event.json');
    writeFileSync(eventPath, JSON.stringify(event));
    const contexts: Contexts = {
      github: { event_name: 'pull_request', event, ref: `refs/pull/${prNumber}/merge`, sha: merge, base_ref: 'main', head_ref: 'feature', repository: REPO },
      secrets: { GITHUB_TOKEN: TOKEN, FERRY_STORE_STAGING: stagingUrl },
      inputs: {},
    };
    const env = runnerEnv(work, {
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_REF: `refs/pull/${prNumber}/merge`,
      GITHUB_SHA: merge,
      GITHUB_BASE_REF: 'main',
      GITHUB_HEAD_REF: 'feature',
      GITHUB_API_URL: gh.url,
    });
    return { job: await runJob(workflow, 'review', { cwd: work, tmp, env, contexts }), merge };
  }

  it('annotates the schema error, posts one comment with the diff and the plan, and fails the check', async () => {
    gh.seed(prNumber, 105);
    const { job } = await runReview('first');
    expect(job.ran).toBe(true);
    expect(job.status).toBe('failure');

    const validate = job.step('validate');
    expect(validate.outcome).toBe('failure');
    expect(validate.exitCode).toBe(1);
    expect(validate.stdout).toMatch(new RegExp(`^::error file=${badPath.replace(/\./g, '\\.')},line=${badLine},col=\\d+,title=FERRY_E_SCHEMA[^:]*::`, 'm'));
    expect(validate.outputs).toMatchObject({ status: 'error' });
    expect(Number(validate.outputs.errors)).toBeGreaterThan(0);
    expect(validate.summary).toContain('❌ Ferry validation failed');
    expect(validate.summary).toContain(`\`${badPath}:${badLine}`);

    const diff = job.step('diff');
    expect(diff.outcome).toBe('success');
    expect(diff.outputs).toMatchObject({ has_changes: 'true', truncated: 'false', updated: '1' });
    expect(diff.summary).toContain('coffee-origins');

    const report = readFileSync(join(work, 'ferry-review.md'), 'utf8');
    expect(report.startsWith('### Content changes')).toBe(true);
    expect(report).toContain('`Where our coffee is grown`');
    expect(report).toContain('### Plan for staging');
    expect(readFileSync(join(work, 'ferry-diff-full.md'), 'utf8')).toContain('coffee-origins');

    const plan = job.step('plan');
    expect(plan.outputs).toMatchObject({ environment: 'staging' });

    const comment = job.step('comment');
    expect(comment.outcome).toBe('success');
    expect(comment.env.GITHUB_TOKEN).toBe(TOKEN);
    expect(comment.outputs).toMatchObject({ comment_action: 'created', truncated: 'false' });
    const mine = gh.comments.filter((c) => c.issue === prNumber && c.body.includes(MARKER));
    expect(mine).toHaveLength(1);
    expect(mine[0].body).toBe(`${MARKER}\n${report}`);

    const upload = job.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(upload?.outcome).toBe('skipped');
  });

  it('updates the same comment in place on the next push, never adding a second', async () => {
    origin.switchTo('feature');
    origin.commit({ [badPath]: edit(origin, badPath, 'status: live', 'status: published') }, 'Fix the status');
    origin.switchTo('main');
    const postsBefore = gh.requests.filter((r) => r.method === 'POST').length;
    const { job } = await runReview('second');
    expect(job.step('validate').outcome).toBe('success');
    expect(job.step('validate').summary).toContain('✅ Ferry validation passed');
    expect(job.step('plan').outcome).toBe('success');
    expect(job.step('plan').outputs).toMatchObject({ environment: 'staging', status: 'changes', has_changes: 'true', updated: '1' });
    expect(job.status).toBe('success');
    expect(job.step('comment').outputs.comment_action).toBe('updated');
    const mine = gh.comments.filter((c) => c.issue === prNumber && c.body.includes(MARKER));
    expect(mine).toHaveLength(1);
    expect(mine[0].body).toBe(`${MARKER}\n${readFileSync(join(work, 'ferry-review.md'), 'utf8')}`);
    expect(mine[0].body).not.toContain('espresso-basics');
    expect(gh.requests.filter((r) => r.method === 'POST').length).toBe(postsBefore);
    expect(gh.requests.filter((r) => r.method === 'PATCH' && r.path === `/repos/${REPO}/issues/comments/${mine[0].id}`)).toHaveLength(1);
    // The marker comment sits after the seeded ones: found on the second page.
    expect(gh.requests.some((r) => r.path === `/repos/${REPO}/issues/${prNumber}/comments?per_page=100&page=2`)).toBe(true);
  });

  it('skips the comment for a pull request from a fork (read-only token)', async () => {
    const posts = gh.requests.length;
    const tmp = makeTempDir('ferry-runner-fork-');
    const event = { number: prNumber, pull_request: { number: prNumber, head: { ref: 'x', sha: runGit(work, ['rev-parse', 'HEAD']), repo: { full_name: 'someone/fork' } }, base: { ref: 'main', repo: { full_name: REPO } } } };
    const contexts: Contexts = { github: { event_name: 'pull_request', event, base_ref: 'main', repository: REPO }, secrets: {}, inputs: {} };
    const eventPath = join(tmp, 'event.json');
    writeFileSync(eventPath, JSON.stringify(event));
    const job = await runJob(workflow, 'review', { cwd: work, tmp, env: runnerEnv(work, { GITHUB_EVENT_PATH: eventPath, GITHUB_EVENT_NAME: 'pull_request', GITHUB_API_URL: gh.url }), contexts });
    expect(job.step('diff').outcome).toBe('success');
    expect(job.step('comment').outcome).toBe('skipped');
    expect(gh.requests.length).toBe(posts);
  });
});

describe('content-deploy.yml', () => {
  const workflow: Workflow = readWorkflow(join(ROOT, '.github', 'workflows', 'content-deploy.yml'));
  let repo: GitRepo;
  let stores: Record<string, string>;
  const shas: string[] = [];

  beforeAll(() => {
    repo = makeGitRepo(sampleTree(), { message: 'initial content' });
    linkFerryBin(repo.dir);
    shas.push(repo.head());
    const dir = makeTempDir('ferry-deploy-stores-');
    stores = { FERRY_STORE_DEV: `sqlite:${join(dir, 'dev.db')}`, FERRY_STORE_STAGING: `sqlite:${join(dir, 'staging.db')}`, FERRY_STORE_PROD: `sqlite:${join(dir, 'prod.db')}` };
  });

  /** Runs every job of the workflow for one event; returns the jobs by name. */
  async function trigger(label: string, event: { name: string; ref: string; sha: string; payload: Record<string, unknown>; inputs?: Record<string, string> }) {
    const tmp = makeTempDir(`ferry-runner-${label}-`);
    const eventPath = join(tmp, 'event.json');
    writeFileSync(eventPath, JSON.stringify(event.payload));
    const contexts: Contexts = {
      github: { event_name: event.name, event: event.payload, ref: event.ref, sha: event.sha, repository: REPO, ref_name: event.ref.replace(/^refs\/(heads|tags)\//, '') },
      secrets: { ...stores, GITHUB_TOKEN: TOKEN },
      inputs: event.inputs ?? {},
    };
    const env = runnerEnv(repo.dir, { GITHUB_EVENT_NAME: event.name, GITHUB_EVENT_PATH: eventPath, GITHUB_REF: event.ref, GITHUB_SHA: event.sha, GITHUB_API_URL: gh.url, GITHUB_REF_NAME: String(contexts.github && (contexts.github as { ref_name: string }).ref_name) });
    const jobs: Record<string, JobResult> = {};
    for (const name of Object.keys(workflow.jobs)) jobs[name] = await runJob(workflow, name, { cwd: repo.dir, tmp: join(tmp, name), env, contexts, needs: jobs });
    return jobs;
  }

  const push = (ref: string, sha: string, before: string) => ({
    name: 'push',
    ref,
    sha,
    payload: {
      ref,
      before,
      after: sha,
      created: before === '0'.repeat(40),
      deleted: false,
      forced: false,
      base_ref: null,
      head_commit: { id: sha, message: 'content', timestamp: '2024-05-01T10:00:00Z', author: { name: 'Ferry Test', email: 'ferry-test@example.com' } },
      repository: { full_name: REPO, default_branch: 'main' },
      pusher: { name: 'octocat' },
      sender: { login: 'octocat' },
    },
  });

  it('a push to main deploys staging and reports the deployment', async () => {
    const jobs = await trigger('main-1', push('refs/heads/main', shas[0], '0'.repeat(40)));
    expect(jobs.prod.ran).toBe(false);
    expect(jobs.manual.ran).toBe(false);
    const step = jobs.staging.step('deploy');
    expect(step.outcome, step.stderr).toBe('success');
    expect(step.outputs).toMatchObject({ environment: 'staging', status: 'succeeded', deployment_id: '1', deployed_commit: shas[0], commit: shas[0], has_changes: 'true', created: '79', deleted: '0' });
    expect(step.stdout).toMatch(/^::group::Plan: 79 to create/m);
    expect(step.stdout).toMatch(/^::endgroup::$/m);
    expect(step.summary).toContain(`### 🚀 Deployed \`${shas[0].slice(0, 10)}\` to staging (deployment #1)`);
  });

  it('the next push deploys only the change', async () => {
    shas.push(
      repo.commit({ 'content/items/article/coffee-origins.yaml': edit(repo, 'content/items/article/coffee-origins.yaml', 'title: Where our coffee comes from', 'title: Where our coffee is grown') }, 'Retitle'),
    );
    const jobs = await trigger('main-2', push('refs/heads/main', shas[1], shas[0]));
    expect(jobs.staging.step('deploy').outputs).toMatchObject({ status: 'succeeded', deployment_id: '2', deployed_commit: shas[1], created: '0', updated: '1' });
  });

  it('a release tag promotes exactly the tagged commit from staging to prod', async () => {
    repo.tag('v1.0.0', { message: 'Release v1.0.0' });
    const jobs = await trigger('tag', push('refs/tags/v1.0.0', shas[1], '0'.repeat(40)));
    expect(jobs.staging.ran).toBe(false);
    expect(jobs.prod.ran).toBe(true);
    expect(jobs['stage-release'].step('stage').outputs).toMatchObject({ environment: 'staging', status: 'no-op', deployed_commit: shas[1] });
    expect(jobs.prod.step('plan').outputs).toMatchObject({ environment: 'prod', status: 'dry-run', commit: shas[1] });
    const promote = jobs.prod.step('promote');
    expect(promote.outcome, promote.stderr).toBe('success');
    expect(promote.outputs).toMatchObject({ environment: 'prod', status: 'succeeded', deployed_commit: shas[1], tag: 'v1.0.0', deployment_id: '1', created: '79' });
    expect(promote.summary).toContain('to prod (deployment #1)');
    const status = await ferry(['status', '--env', 'prod', '--json'], { cwd: repo.dir, env: stores });
    expect(JSON.parse(status.stdout).environments[0].deployed.toCommit).toBe(shas[1]);
  });

  it('workflow_dispatch rolls an environment back to an earlier deployment', async () => {
    const jobs = await trigger('rollback', {
      name: 'workflow_dispatch',
      ref: 'refs/heads/main',
      sha: shas[1],
      payload: { inputs: { action: 'rollback', env: 'staging', ref: '1', mode: 'default' }, ref: 'refs/heads/main', repository: { full_name: REPO }, sender: { login: 'octocat' } },
      inputs: { action: 'rollback', env: 'staging', ref: '1', mode: 'default' },
    });
    expect(jobs.staging.ran).toBe(false);
    const step = jobs.manual.step('deploy');
    expect(step.outcome, step.stderr).toBe('success');
    expect(step.stdout).toContain('Rollback of staging to deployment #1');
    expect(step.outputs).toMatchObject({ environment: 'staging', status: 'succeeded', deployed_commit: shas[0], mode: 'Full', updated: '1' });
  });

  it('workflow_dispatch deploys a revision with a mode, and refuses a rollback without a target', async () => {
    const jobs = await trigger('manual', {
      name: 'workflow_dispatch',
      ref: 'refs/heads/main',
      sha: shas[1],
      payload: { inputs: { action: 'deploy', env: 'dev', ref: 'v1.0.0', mode: 'Full' } },
      inputs: { action: 'deploy', env: 'dev', ref: 'v1.0.0', mode: 'Full' },
    });
    expect(jobs.manual.step('deploy').outputs).toMatchObject({ environment: 'dev', status: 'succeeded', deployed_commit: shas[1], mode: 'Full', tag: 'v1.0.0' });

    const refused = await trigger('manual-bad', {
      name: 'workflow_dispatch',
      ref: 'refs/heads/main',
      sha: shas[1],
      payload: { inputs: { action: 'rollback', env: 'prod', ref: '', mode: 'default' } },
      inputs: { action: 'rollback', env: 'prod', ref: '', mode: 'default' },
    });
    const step = refused.manual.step('deploy');
    expect(step.outcome).toBe('failure');
    expect(step.stdout).toContain('::error title=Missing ref::');
  });

  it('a failed deployment annotates its diagnostics and sets status=failed', async () => {
    const badPath = 'content/items/article/espresso-basics.yaml';
    const broken = edit(repo, badPath, 'status: published', 'status: live');
    const bad = repo.commit({ [badPath]: broken }, 'Break espresso-basics');
    const jobs = await trigger('main-bad', push('refs/heads/main', bad, shas[1]));
    const step = jobs.staging.step('deploy');
    expect(step.outcome).toBe('failure');
    expect(`${step.stdout}\n${step.stderr}`).toMatch(new RegExp(`::error file=${badPath.replace(/\./g, '\\.')},line=${lineOf(broken, 'status: live')},`));
    expect(step.outputs.status).toBe('failed');
    expect(step.summary).toMatch(/❌/);
  });
});

describe('the content workflows against remote environments (ferry serve instances)', () => {
  const deployWorkflow = readWorkflow(join(ROOT, '.github', 'workflows', 'content-deploy.yml'));
  const reviewWorkflow = readWorkflow(join(ROOT, '.github', 'workflows', 'content-review.yml'));
  // One secret per environment, each only on its own instance: a step given the wrong one fails.
  const SECRETS = { FERRY_SYNC_SECRET_STAGING: 'staging-sync-secret-0123456789abcdef', FERRY_SYNC_SECRET_PROD: 'prod-sync-secret-0123456789abcdef-xyz' };
  let repo: GitRepo;
  let secrets: Record<string, string>;

  beforeAll(async () => {
    const instance = async (env: 'staging' | 'prod', variable: keyof typeof SECRETS) => {
      const dir = makeTempDir(`ferry-instance-${env}-`);
      writeFileSync(join(dir, 'repository.config.yaml'), readFileSync(join(ROOT, 'templates', 'repository.config.yaml')));
      return startServe({ env, dir, vars: { FERRY_SYNC_SECRET: undefined, [variable]: SECRETS[variable] } });
    };
    const [staging, prod] = await Promise.all([instance('staging', 'FERRY_SYNC_SECRET_STAGING'), instance('prod', 'FERRY_SYNC_SECRET_PROD')]);
    secrets = { FERRY_STORE_STAGING: staging.url, FERRY_STORE_PROD: prod.url, ...SECRETS, GITHUB_TOKEN: TOKEN };
    repo = makeGitRepo(sampleTree(), { message: 'initial content' });
    linkFerryBin(repo.dir);
  });
  afterAll(stopAllServers);

  async function trigger(workflow: Workflow, label: string, github: Record<string, unknown>, env: Record<string, string>) {
    const tmp = makeTempDir(`ferry-runner-remote-${label}-`);
    const eventPath = join(tmp, 'event.json');
    writeFileSync(eventPath, JSON.stringify(github.event ?? {}));
    const contexts: Contexts = { github: { repository: REPO, ...github }, secrets, inputs: {} };
    const jobs: Record<string, JobResult> = {};
    for (const name of Object.keys(workflow.jobs)) {
      jobs[name] = await runJob(workflow, name, { cwd: repo.dir, tmp: join(tmp, name), env: runnerEnv(repo.dir, { GITHUB_EVENT_PATH: eventPath, GITHUB_API_URL: gh.url, ...env }), contexts, needs: jobs });
    }
    return jobs;
  }

  it('a push to main deploys the staging instance with staging sync secret', async () => {
    const sha = repo.head();
    const jobs = await trigger(deployWorkflow, 'main', { event_name: 'push', ref: 'refs/heads/main', sha }, { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main', GITHUB_SHA: sha });
    const step = jobs.staging.step('deploy');
    expect(step.outcome, step.stderr).toBe('success');
    expect(step.stderr).not.toContain('FERRY_E_AUTH');
    expect(step.outputs).toMatchObject({ environment: 'staging', status: 'succeeded', deployed_commit: sha, created: '79' });
  });

  it('a release tag stages and promotes to the prod instance, reading staging with its own secret', async () => {
    const sha = repo.head();
    repo.tag('v1.0.0', { message: 'Release v1.0.0' });
    const jobs = await trigger(deployWorkflow, 'tag', { event_name: 'push', ref: 'refs/tags/v1.0.0', sha }, { GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/tags/v1.0.0', GITHUB_SHA: sha });
    expect(jobs['stage-release'].status).toBe('success');
    const promote = jobs.prod.step('promote');
    expect(promote.outcome, promote.stderr).toBe('success');
    expect(promote.outputs).toMatchObject({ environment: 'prod', status: 'succeeded', deployed_commit: sha, tag: 'v1.0.0', created: '79' });
  });

  it('the review job plans a pull request against the staging instance', async () => {
    const base = repo.head();
    repo.switchTo('feature', { create: true });
    const head = repo.commit({ 'content/items/article/coffee-origins.yaml': edit(repo, 'content/items/article/coffee-origins.yaml', 'title: Where our coffee comes from', 'title: Where our coffee is grown') }, 'Retitle');
    runGit(repo.dir, ['update-ref', 'refs/remotes/origin/main', base]);
    const event = { number: 3, pull_request: { number: 3, head: { ref: 'feature', sha: head, repo: { full_name: 'someone/fork' } }, base: { ref: 'main', sha: base, repo: { full_name: REPO } } } };
    const jobs = await trigger(reviewWorkflow, 'review', { event_name: 'pull_request', event, ref: 'refs/pull/3/merge', sha: head, base_ref: 'main' }, { GITHUB_EVENT_NAME: 'pull_request', GITHUB_SHA: head, GITHUB_BASE_REF: 'main' });
    const plan = jobs.review.step('plan');
    expect(plan.outcome, plan.stderr).toBe('success');
    expect(plan.outputs).toMatchObject({ environment: 'staging', status: 'changes', updated: '1', deployed_commit: base });
    expect(readFileSync(join(repo.dir, 'ferry-review.md'), 'utf8')).toContain('### Plan for staging');
    repo.switchTo('main');
  });
});
