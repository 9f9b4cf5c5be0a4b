/**
 * Machine output is consistent: every command's `--format json` (or `--json`) output is one
 * envelope with `status`, valid against its schema in schemas/output/ (diff: schemas/changeset);
 * a failing command prints the error envelope; and in GitHub Actions every command leaves the
 * step outputs `status` (and `error_code` when it failed).
 */
import { Ajv, type ValidateFunction } from 'ajv';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeGitRepos, type GitRepo } from '../support/gitdir.js';
import { ferry, makeSampleRepo, PROJECT_ROOT } from '../support/sample-repo.js';
import { startFakeGithub, type FakeGithub } from './github-api-server.js';
import { parseOutputFile } from './github-workflow-runner.js';

const SCHEMAS = join(PROJECT_ROOT, 'schemas', 'output');
const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
const validators = new Map<string, ValidateFunction>();
for (const f of readdirSync(SCHEMAS).filter((n) => n.endsWith('.schema.json'))) validators.set(f.replace('.schema.json', ''), ajv.compile(JSON.parse(readFileSync(join(SCHEMAS, f), 'utf8'))));
validators.set('diff', ajv.compile(JSON.parse(readFileSync(join(PROJECT_ROOT, 'schemas', 'changeset.schema.json'), 'utf8'))));

let repo: GitRepo;
let gh: FakeGithub;
let githubEnv: Record<string, string>;

beforeAll(async () => {
  repo = makeSampleRepo();
  repo.commit({ 'content/items/article/coffee-origins.yaml': readFileSync(join(repo.dir, 'content/items/article/coffee-origins.yaml'), 'utf8').replace('title: Where our coffee comes from', 'title: Where our coffee is grown') }, 'Retitle');
  gh = await startFakeGithub({ repo: 'acme/content', token: 'ghs_json_output_test' });
  const eventPath = join(makeTempDir('ferry-event-'), 'event.json');
  writeFileSync(eventPath, JSON.stringify({ number: 5, pull_request: { number: 5 } }));
  writeFileSync(join(repo.dir, 'report.md'), '### Report\n');
  githubEnv = { GITHUB_TOKEN: 'ghs_json_output_test', GITHUB_REPOSITORY: 'acme/content', GITHUB_API_URL: gh.url, GITHUB_EVENT_PATH: eventPath };
});
afterAll(async () => {
  await gh.close();
  removeGitRepos();
});

function expectValid(schema: string, stdout: string): Record<string, unknown> {
  const doc = JSON.parse(stdout) as Record<string, unknown>;
  const validate = validators.get(schema);
  if (!validate) throw new Error(`no schema ${schema}`);
  expect(validate(doc), `${schema}: ${JSON.stringify(validate.errors, null, 2)}\n${stdout.slice(0, 2000)}`).toBe(true);
  expect(Object.keys(doc)[0]).toBe('status');
  return doc;
}

// In order: later commands read what earlier ones deployed.
const commands: Array<[string, string[], string, () => Record<string, string>]> = [
  ['validate', ['validate', '--format', 'json'], 'validate', () => ({})],
  ['fmt', ['fmt', '--check', '--json'], 'fmt', () => ({})],
  ['diff', ['diff', 'HEAD~1', '--format', 'json'], 'diff', () => ({})],
  ['diff without changes', ['diff', 'HEAD', '--format', 'json'], 'diff', () => ({})],
  ['plan', ['plan', '--env', 'dev', '--format', 'json'], 'plan', () => ({})],
  ['deploy', ['deploy', '--env', 'dev', '--ref', 'HEAD~1', '--format', 'json'], 'deploy', () => ({})],
  ['deploy again', ['deploy', '--env', 'dev', '--format', 'json'], 'deploy', () => ({})],
  ['promote', ['promote', 'dev', 'staging', '--format', 'json'], 'deploy', () => ({})],
  ['rollback', ['rollback', '--env', 'dev', '--to', '#1', '--yes', '--format', 'json'], 'deploy', () => ({})],
  ['status', ['status', '--format', 'json'], 'status', () => ({})],
  ['history', ['history', '--env', 'dev', '--format', 'json'], 'history', () => ({})],
  ['pull', ['pull', '--from', 'dev', '--out', 'pulled', '--format', 'json'], 'pull', () => ({})],
  ['serialize', ['serialize', '--env', 'dev', '--out', 'serialized', '--json'], 'pull', () => ({})],
  ['changelog', ['changelog', 'HEAD~1', '--format', 'json'], 'changelog', () => ({})],
  ['release', ['release', '--dry-run', '--format', 'json'], 'release', () => ({})],
  ['init', ['init', 'scaffold', '--format', 'json'], 'init', () => ({})],
  ['errors', ['errors', '--format', 'json'], 'errors', () => ({})],
  ['pr-comment', ['pr-comment', '--file', 'report.md', '--json'], 'pr-comment', () => githubEnv],
];

describe('--format json', () => {
  it.each(commands)('%s prints one envelope valid against its schema', async (_name, args, schema, env) => {
    const r = await ferry(repo.dir, args, env());
    expect(r.code, r.stderr).toBe(0);
    const doc = expectValid(schema, r.stdout);
    expect(['ok', 'no_changes']).toContain(doc.status);
  });

  it('diff says no_changes when there are none, ok when there are', async () => {
    expect(JSON.parse((await ferry(repo.dir, ['diff', 'HEAD', '--format', 'json'])).stdout).status).toBe('no_changes');
    expect(JSON.parse((await ferry(repo.dir, ['diff', 'HEAD~1', '--format', 'json'])).stdout).status).toBe('ok');
  });

  it.each([
    ['a FerryError with --format json', ['plan', '--env', 'nope', '--format', 'json'], 'FERRY_E_ENV_UNKNOWN'],
    ['a FerryError with --json', ['history', '--env', 'dev', '--limit', 'x', '--json'], 'FERRY_E_USAGE'],
    ['an unknown option', ['deploy', '--evn', 'dev', '--format', 'json'], 'FERRY_E_USAGE'],
    ['a commander usage error', ['deploy', '--format', 'json'], 'FERRY_E_USAGE'],
  ])('%s prints the error envelope', async (_name, args, code) => {
    const r = await ferry(repo.dir, args);
    expect(r.code).not.toBe(0);
    const doc = expectValid('error', r.stdout);
    expect(doc).toMatchObject({ status: 'error', error: { code } });
  });
});

describe('step outputs in GitHub Actions', () => {
  const run = async (args: string[], extra: Record<string, string> = {}) => {
    const file = join(makeTempDir('ferry-output-'), 'output.txt');
    writeFileSync(file, '');
    const r = await ferry(repo.dir, args, { GITHUB_ACTIONS: 'true', GITHUB_OUTPUT: file, ...extra });
    return { ...r, outputs: parseOutputFile(readFileSync(file, 'utf8')) };
  };

  it.each([
    [['validate']],
    [['fmt', '--check']],
    [['diff', 'HEAD~1']],
    [['plan', '--env', 'staging']],
    [['deploy', '--env', 'staging', '--dry-run']],
    [['status']],
    [['history', '--env', 'dev']],
    [['changelog', 'HEAD~1']],
    [['errors']],
    [['textconv', 'content/languages/en-US.yaml']],
    [['pull', '--from', 'dev', '--out', 'pulled-again']],
  ])('%j sets status', async (args) => {
    const r = await run(args);
    expect(r.code, r.stderr).toBe(0);
    expect(r.outputs.status, JSON.stringify(r.outputs)).toMatch(/^(ok|no_changes|changes|dry-run|succeeded|no-op)$/);
    expect(r.outputs.error_code).toBeUndefined();
  });

  it.each([
    [['status', '--env', 'nope'], 'FERRY_E_ENV_UNKNOWN'],
    [['history', '--env', 'dev', '--limit', '0'], 'FERRY_E_USAGE'],
    [['rollback', '--env', 'dev', '--to', 'no-such-tag', '--yes'], 'FERRY_E_REVISION'],
    [['fmt', 'content/nope'], 'FERRY_E_NOT_FOUND'],
    [['textconv', 'nope.yaml'], 'FERRY_E_FILE'],
    [['deploy', '--evn', 'dev'], 'FERRY_E_USAGE'],
    [['deploy'], 'FERRY_E_USAGE'],
  ])('%j sets status=failed and error_code=%s', async (args, code) => {
    const r = await run(args);
    expect(r.code).not.toBe(0);
    expect(r.outputs).toMatchObject({ status: 'failed', error_code: code });
  });
});
