/**
 * Runs the `run:` steps of a GitHub Actions workflow job locally, the way the runner does, so a
 * test can check that the exact commands a workflow runs work: job and step `if:` conditions,
 * `${{ }}` expressions in `env:`, a fresh `$GITHUB_OUTPUT` and `$GITHUB_STEP_SUMMARY` per step,
 * `steps.<id>.outputs`, `needs:`, and bash with `-eo pipefail`. Ferry's own action
 * (`uses: ferry-cms/ferry@v0`, or `uses: ./` in this repository) runs as GitHub runs a composite
 * action: the steps of this repository's action.yml with its inputs, its outputs mapped from them.
 * Other `uses:` steps are not run (the test prepares the checkout itself); they are recorded with
 * whether their condition held. Ferry invocations in `run:` scripts (`npx --no-install ferry`,
 * `node dist/cli/bin.js`) are replaced by the built CLI.
 */
import { execa } from 'execa';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const BUILT_CLI = join(import.meta.dirname, '..', '..', 'dist', 'cli', 'bin.js');
/** This repository: its action.yml is what `uses: ferry-cms/ferry@v0` runs. */
export const ACTION_ROOT = join(import.meta.dirname, '..', '..');
const FERRY_ACTIONS = new Set(['ferry-cms/ferry@v0', './']);

export interface Workflow {
  name?: string;
  on: unknown;
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  jobs: Record<string, Job>;
}

export interface Job {
  name?: string;
  if?: string;
  'runs-on': string;
  needs?: string | string[];
  environment?: string | { name: string };
  concurrency?: { group: string; 'cancel-in-progress'?: boolean };
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  steps: Step[];
}

export interface Step {
  id?: string;
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
  shell?: string;
  'working-directory'?: string;
  'continue-on-error'?: boolean;
}

export interface CompositeAction {
  name: string;
  inputs?: Record<string, { default?: string; required?: boolean }>;
  outputs?: Record<string, { value: string }>;
  runs: { using: 'composite'; steps: Step[] };
}

export function readWorkflow(path: string): Workflow {
  return parse(readFileSync(path, 'utf8')) as Workflow;
}

/** Expression contexts: `github`, `secrets`, `inputs`, `env`, `steps`, … */
export type Contexts = Record<string, unknown>;

export interface StepResult {
  id?: string;
  name: string;
  /** `skipped` when its condition was false; `uses` steps that would run are `success`. */
  outcome: 'success' | 'failure' | 'skipped';
  uses?: string;
  /** The script as run (after substitution). */
  script?: string;
  exitCode?: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  env: Record<string, string>;
}

export interface JobResult {
  ran: boolean;
  /** `success` unless a step failed. */
  status: 'success' | 'failure' | 'skipped';
  steps: StepResult[];
  step(id: string): StepResult;
}

export interface RunJobOptions {
  /** The checkout: working directory of every step. */
  cwd: string;
  /** Folder for per-step files (outputs, summaries, scripts). */
  tmp: string;
  /** The runner's default environment (GITHUB_*, RUNNER_*). */
  env: Record<string, string>;
  contexts: Contexts;
  /** Steps that install or build (`npm ci`): skipped, the test uses the built CLI. */
  isInstallStep?: (run: string) => boolean;
  /** Results of the jobs run before, for `needs:`. */
  needs?: Record<string, JobResult>;
}

const INSTALL = /^npm ci( && npm run build)?$/;

/** Replaces every Ferry invocation by the built CLI; throws if a script runs npx for anything else. */
export function substituteFerry(script: string): string {
  const out = script.replace(/npx --no-install ferry\b/g, `node ${JSON.stringify(BUILT_CLI)}`).replace(/node dist\/cli\/bin\.js\b/g, `node ${JSON.stringify(BUILT_CLI)}`);
  if (/\bnpx\b/.test(out)) throw new Error(`unexpected npx in a workflow step: ${script}`);
  return out;
}

/** Parses a `$GITHUB_OUTPUT` file: `name=value` lines and `name<<DELIM` heredocs. */
export function parseOutputFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (!line) continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) value.push(lines[i]);
      if (i >= lines.length) throw new Error(`unterminated heredoc for output ${heredoc[1]}`);
      out[heredoc[1]] = value.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0) throw new Error(`malformed output line: ${line}`);
    out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

export async function runJob(workflow: Workflow, jobName: string, opts: RunJobOptions): Promise<JobResult> {
  const job = workflow.jobs[jobName];
  if (!job) throw new Error(`no job ${jobName}`);
  const steps: StepResult[] = [];
  const stepsContext: Record<string, { outcome: string; conclusion: string; outputs: Record<string, string> }> = {};
  let failed = false;
  const status = { success: () => !failed, failure: () => failed, always: () => true, cancelled: () => false };
  const ctx = (): Contexts => ({ ...opts.contexts, steps: stepsContext });
  const result: JobResult = {
    ran: false,
    status: 'skipped',
    steps,
    step(id) {
      const s = steps.find((x) => x.id === id);
      if (!s) throw new Error(`no step ${id} in ${jobName}`);
      return s;
    },
  };
  const needs = job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
  if (needs.some((n) => opts.needs?.[n]?.status !== 'success')) return result;
  if (job.if !== undefined && !truthy(evaluate(job.if, ctx(), status))) return result;
  result.ran = true;
  const workflowEnv = evaluateMap(workflow.env, ctx(), status);
  const jobEnv = evaluateMap(job.env, { ...ctx(), env: workflowEnv }, status);
  mkdirSync(opts.tmp, { recursive: true });

  for (const [index, step] of job.steps.entries()) {
    const name = step.name ?? step.uses ?? step.run ?? `step ${index}`;
    const base: StepResult = { id: step.id, name, outcome: 'skipped', uses: step.uses, stdout: '', stderr: '', outputs: {}, summary: '', env: {} };
    const condition = step.if === undefined ? 'success()' : step.if;
    const holds = /\b(success|failure|always|cancelled)\(/.test(condition) ? truthy(evaluate(condition, ctx(), status)) : status.success() && truthy(evaluate(condition, ctx(), status));
    if (!holds || (step.run !== undefined && (opts.isInstallStep ?? ((r: string) => INSTALL.test(r.trim())))(step.run))) {
      steps.push(base);
      if (step.id) stepsContext[step.id] = { outcome: 'skipped', conclusion: 'skipped', outputs: {} };
      continue;
    }
    if (step.uses !== undefined && FERRY_ACTIONS.has(step.uses)) {
      const stepEnv = evaluateMap(step.env, { ...ctx(), env: { ...workflowEnv, ...jobEnv } }, status);
      const withInputs = evaluateMap(step.with as Record<string, string> | undefined, { ...ctx(), env: { ...workflowEnv, ...jobEnv, ...stepEnv } }, status);
      const done = await runCompositeAction(readAction(), withInputs, {
        ...opts,
        base,
        label: `${jobName}-${index}`,
        env: { ...opts.env, ...workflowEnv, ...jobEnv, ...stepEnv },
        stepEnv,
      });
      steps.push(done);
      if (step.id) stepsContext[step.id] = { outcome: done.outcome, conclusion: done.outcome === 'failure' && step['continue-on-error'] ? 'success' : done.outcome, outputs: done.outputs };
      if (done.outcome === 'failure' && !step['continue-on-error']) failed = true;
      continue;
    }
    if (step.uses !== undefined) {
      steps.push({ ...base, outcome: 'success' });
      if (step.id) stepsContext[step.id] = { outcome: 'success', conclusion: 'success', outputs: {} };
      continue;
    }
    const stepEnv = evaluateMap(step.env, { ...ctx(), env: { ...workflowEnv, ...jobEnv } }, status);
    const outputFile = join(opts.tmp, `output-${jobName}-${index}.txt`);
    const summaryFile = join(opts.tmp, `summary-${jobName}-${index}.md`);
    const scriptFile = join(opts.tmp, `step-${jobName}-${index}.sh`);
    writeFileSync(outputFile, '');
    writeFileSync(summaryFile, '');
    const script = substituteFerry(step.run ?? '');
    writeFileSync(scriptFile, script);
    const env = { ...opts.env, ...workflowEnv, ...jobEnv, ...stepEnv, GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile };
    const r = await execa('bash', ['--noprofile', '--norc', '-eo', 'pipefail', scriptFile], { cwd: opts.cwd, env, extendEnv: false, reject: false });
    const outcome = r.exitCode === 0 ? 'success' : 'failure';
    const done: StepResult = {
      ...base,
      outcome,
      script,
      exitCode: r.exitCode,
      stdout: r.stdout,
      stderr: r.stderr,
      outputs: parseOutputFile(readFileSync(outputFile, 'utf8')),
      summary: readFileSync(summaryFile, 'utf8'),
      env: stepEnv,
    };
    steps.push(done);
    if (step.id) stepsContext[step.id] = { outcome, conclusion: outcome === 'failure' && step['continue-on-error'] ? 'success' : outcome, outputs: done.outputs };
    if (outcome === 'failure' && !step['continue-on-error']) failed = true;
  }
  result.status = failed ? 'failure' : 'success';
  return result;
}

export function readAction(): CompositeAction {
  return parse(readFileSync(join(ACTION_ROOT, 'action.yml'), 'utf8')) as CompositeAction;
}

/**
 * Runs a composite action's steps in order, as the runner does: `inputs` from the defaults and
 * `with:`, each step's `env:` and `working-directory` evaluated, `github.action_path` and
 * `$GITHUB_ACTION_PATH` this repository, a step failure ends the action. The result is one step:
 * the action's outputs, the concatenated output and summaries, and the environment `env:` gave it.
 */
async function runCompositeAction(
  action: CompositeAction,
  withInputs: Record<string, string>,
  o: RunJobOptions & { base: StepResult; label: string; stepEnv: Record<string, string> },
): Promise<StepResult> {
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs ?? {})) inputs[name] = withInputs[name] ?? spec.default ?? '';
  for (const name of Object.keys(withInputs)) if (!(name in inputs)) throw new Error(`${action.name} has no input ${name}`);
  for (const [name, spec] of Object.entries(action.inputs ?? {})) if (spec.required && !inputs[name]) throw new Error(`${action.name}: input ${name} is required`);
  const inner: Record<string, { outcome: string; conclusion: string; outputs: Record<string, string> }> = {};
  const contexts = (): Contexts => ({ ...o.contexts, github: { ...(o.contexts.github as object), action_path: ACTION_ROOT }, inputs, steps: inner });
  const result: StepResult = { ...o.base, outcome: 'success', env: o.stepEnv };
  const out: string[] = [];
  const err: string[] = [];
  const summaries: string[] = [];
  for (const [index, step] of action.runs.steps.entries()) {
    if (step.uses !== undefined) {
      if (step.id) inner[step.id] = { outcome: 'success', conclusion: 'success', outputs: {} };
      continue;
    }
    if (step.shell !== 'bash') throw new Error(`composite step ${step.name} needs shell: bash`);
    const env = { ...o.env, ...evaluateMap(step.env, { ...contexts(), env: o.env }), GITHUB_ACTION_PATH: ACTION_ROOT };
    const cwd = join(o.cwd, interpolate(step['working-directory'] ?? '.', contexts()));
    const outputFile = join(o.tmp, `output-${o.label}-${index}.txt`);
    const summaryFile = join(o.tmp, `summary-${o.label}-${index}.md`);
    const scriptFile = join(o.tmp, `step-${o.label}-${index}.sh`);
    writeFileSync(outputFile, '');
    writeFileSync(summaryFile, '');
    const script = substituteFerry(step.run ?? '');
    writeFileSync(scriptFile, script);
    const r = await execa('bash', ['--noprofile', '--norc', '-eo', 'pipefail', scriptFile], { cwd, env: { ...env, GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile }, extendEnv: false, reject: false });
    out.push(r.stdout);
    err.push(r.stderr);
    summaries.push(readFileSync(summaryFile, 'utf8'));
    const outcome = r.exitCode === 0 ? 'success' : 'failure';
    if (step.id) inner[step.id] = { outcome, conclusion: outcome, outputs: parseOutputFile(readFileSync(outputFile, 'utf8')) };
    result.script = script;
    result.exitCode = r.exitCode;
    if (outcome === 'failure') {
      result.outcome = 'failure';
      break;
    }
  }
  result.stdout = out.filter(Boolean).join('\n');
  result.stderr = err.filter(Boolean).join('\n');
  result.summary = summaries.join('');
  for (const [name, spec] of Object.entries(action.outputs ?? {})) {
    const value = interpolate(spec.value, contexts());
    if (value !== '') result.outputs[name] = value;
  }
  return result;
}

function evaluateMap(map: Record<string, string> | undefined, contexts: Contexts, status: StatusFunctions): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(map ?? {})) out[k] = interpolate(String(v), contexts, status);
  return out;
}

/** Replaces each `${{ expr }}` in a string by its value. */
export function interpolate(text: string, contexts: Contexts, status: StatusFunctions = defaultStatus): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_m, expr: string) => toText(evaluateExpression(expr, contexts, status)));
}

// ---- A small evaluator for the GitHub expression syntax the workflows use ----

interface StatusFunctions {
  success(): boolean;
  failure(): boolean;
  always(): boolean;
  cancelled(): boolean;
}
const defaultStatus: StatusFunctions = { success: () => true, failure: () => false, always: () => true, cancelled: () => false };

/** Evaluates an `if:` (with or without `${{ }}`). */
export function evaluate(condition: string, contexts: Contexts, status: StatusFunctions = defaultStatus): unknown {
  const m = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(condition);
  return evaluateExpression(m ? m[1] : condition, contexts, status);
}

type Token = { t: 'str' | 'num' | 'id' | 'op'; v: string };

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let s = '';
      for (i++; ; i++) {
        if (i >= src.length) throw new Error(`unterminated string in ${src}`);
        if (src[i] === "'" && src[i + 1] === "'") {
          s += "'";
          i++;
        } else if (src[i] === "'") break;
        else s += src[i];
      }
      i++;
      tokens.push({ t: 'str', v: s });
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9.]+/.exec(src.slice(i))![0];
      tokens.push({ t: 'num', v: m });
      i += m.length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*/.exec(src.slice(i))![0];
      tokens.push({ t: 'id', v: m });
      i += m.length;
    } else {
      const two = src.slice(i, i + 2);
      if (['==', '!=', '&&', '||', '<=', '>='].includes(two)) {
        tokens.push({ t: 'op', v: two });
        i += 2;
      } else if ('()!,<>'.includes(c)) {
        tokens.push({ t: 'op', v: c });
        i++;
      } else throw new Error(`unexpected ${c} in expression ${src}`);
    }
  }
  return tokens;
}

function evaluateExpression(src: string, contexts: Contexts, status: StatusFunctions): unknown {
  const tokens = tokenize(src);
  let p = 0;
  const peek = () => tokens[p];
  const eat = (v: string) => {
    if (peek()?.v !== v) throw new Error(`expected ${v} in ${src}`);
    p++;
  };
  const or = (): unknown => {
    let left = and();
    while (peek()?.v === '||') {
      p++;
      const right = and();
      left = truthy(left) ? left : right;
    }
    return left;
  };
  const and = (): unknown => {
    let left = cmp();
    while (peek()?.v === '&&') {
      p++;
      const right = cmp();
      left = truthy(left) ? right : left;
    }
    return left;
  };
  const cmp = (): unknown => {
    const left = unary();
    const op = peek()?.v;
    if (op === '==' || op === '!=') {
      p++;
      const eq = looseEquals(left, unary());
      return op === '==' ? eq : !eq;
    }
    return left;
  };
  const unary = (): unknown => {
    if (peek()?.v === '!') {
      p++;
      return !truthy(unary());
    }
    return primary();
  };
  const primary = (): unknown => {
    const tok = tokens[p++];
    if (!tok) throw new Error(`unexpected end of ${src}`);
    if (tok.v === '(' && tok.t === 'op') {
      const v = or();
      eat(')');
      return v;
    }
    if (tok.t === 'str') return tok.v;
    if (tok.t === 'num') return Number(tok.v);
    if (tok.t === 'id') {
      if (tok.v === 'true') return true;
      if (tok.v === 'false') return false;
      if (tok.v === 'null') return null;
      if (peek()?.v === '(') {
        p++;
        const args: unknown[] = [];
        while (peek()?.v !== ')') {
          args.push(or());
          if (peek()?.v === ',') p++;
        }
        eat(')');
        return call(tok.v, args);
      }
      let value: unknown = contexts;
      for (const part of tok.v.split('.')) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
      return value ?? null;
    }
    throw new Error(`unexpected ${tok.v} in ${src}`);
  };
  const call = (name: string, args: unknown[]): unknown => {
    switch (name) {
      case 'success':
      case 'failure':
      case 'always':
      case 'cancelled':
        return status[name]();
      case 'startsWith':
        return toText(args[0]).toLowerCase().startsWith(toText(args[1]).toLowerCase());
      case 'endsWith':
        return toText(args[0]).toLowerCase().endsWith(toText(args[1]).toLowerCase());
      case 'contains':
        return toText(args[0]).toLowerCase().includes(toText(args[1]).toLowerCase());
      case 'format':
        return toText(args[0]).replace(/\{(\d+)\}/g, (_m, i: string) => toText(args[Number(i) + 1]));
      default:
        throw new Error(`unsupported function ${name}()`);
    }
  };
  const value = or();
  if (p !== tokens.length) throw new Error(`trailing tokens in ${src}`);
  return value;
}

export function truthy(v: unknown): boolean {
  return !(v === false || v === 0 || v === '' || v === null || v === undefined || Number.isNaN(v));
}

function looseEquals(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  if (typeof a === typeof b) return a === b;
  const num = (v: unknown) => (v === null || v === undefined ? 0 : typeof v === 'boolean' ? Number(v) : Number(v));
  return num(a) === num(b);
}

function toText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
