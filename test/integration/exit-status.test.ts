/**
 * Each command's exit statuses (README, "Exit codes and errors"): 0 success, 1 user error or
 * findings, 2 only `plan --detailed-exitcode` with changes, 3 locked, 4 unreachable, 5 unknown
 * revision, 64 bad command line. One `exitFor` decides for every command, so a dry run whose plan
 * has errors fails in promote as in deploy.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeGitRepos, type GitRepo } from '../support/gitdir.js';
import { ferry, makeSampleRepo } from '../support/sample-repo.js';
import { dumpStore } from '../support/store-dump.js';

const ARTICLE = 'content/items/article/coffee-origins.yaml';
const EXTRA = 'content/workspaces/extra.yaml';
const extraWorkspace = (guid: string) => `kind: workspace\nguid: ${guid}\ncodeName: extra\ndisplayName: Extra\n`;

let repo: GitRepo;
beforeAll(async () => {
  repo = makeSampleRepo();
  expect((await ferry(repo.dir, ['deploy', '--env', 'dev'])).code).toBe(0);
});
afterAll(() => removeGitRepos());

const code = async (argv: string[], env: Record<string, string> = {}) => {
  const r = await ferry(repo.dir, argv, env);
  return { ...r, toString: () => `${argv.join(' ')} → ${r.code}\n${r.stderr}` };
};

describe('exit statuses per command', () => {
  it.each([
    ['validate', ['validate'], 0],
    ['validate at an unknown revision', ['validate', '--ref', 'no-such-rev'], 5],
    ['validate with a misspelt option', ['validate', '--rfe', 'HEAD'], 64],
    ['fmt --check on canonical files', ['fmt', '--check'], 0],
    ['diff', ['diff', 'HEAD'], 0],
    ['diff of an unknown revision', ['diff', 'no-such-rev'], 5],
    ['plan', ['plan', '--env', 'dev'], 0],
    ['plan --detailed-exitcode with nothing to do', ['plan', '--env', 'dev', '--detailed-exitcode'], 0],
    ['plan --detailed-exitcode with changes', ['plan', '--env', 'staging', '--detailed-exitcode'], 2],
    ['plan of an unknown revision', ['plan', '--env', 'staging', '--ref', 'no-such-rev', '--detailed-exitcode'], 5],
    ['plan without --env', ['plan'], 64],
    ['plan of an unknown environment', ['plan', '--env', 'qa'], 1],
    ['deploy --dry-run', ['deploy', '--env', 'staging', '--dry-run'], 0],
    ['deploy with a bad --lock-timeout', ['deploy', '--env', 'staging', '--lock-timeout', 'soon'], 64],
    ['promote --dry-run', ['promote', 'dev', 'staging', '--dry-run'], 0],
    ['promote out of the chain', ['promote', 'dev', 'prod'], 1],
    ['rollback without --yes and no terminal', ['rollback', '--env', 'dev', '--to', '#1'], 64],
    ['rollback to an unknown revision', ['rollback', '--env', 'dev', '--to', 'no-such-rev', '--yes'], 5],
    ['status', ['status'], 0],
    ['history', ['history', '--env', 'dev'], 0],
    ['history with a bad --limit', ['history', '--env', 'dev', '--limit', '0'], 64],
    ['migrate', ['migrate', '--env', 'dev'], 0],
    ['errors', ['errors'], 0],
    ['textconv', ['textconv', ARTICLE], 0],
    ['changelog', ['changelog', 'HEAD'], 0],
    ['changelog from an unknown revision', ['changelog', 'no-such-rev'], 5],
    ['release --dry-run', ['release', '--dry-run'], 0],
    ['release of an unknown revision', ['release', '--dry-run', '--ref', 'no-such-rev'], 5],
    ['release with both --tag and --bump', ['release', '--tag', 'v9.0.0', '--bump', 'major'], 64],
    ['pr-comment outside a pull request job', ['pr-comment', '--file', 'README.md'], 64],
    ['serve with a bad --port', ['serve', '--env', 'dev', '--port', '70000'], 64],
  ] as const)('%s', async (_name, argv, expected) => {
    const r = await code([...argv], argv[0] === 'serve' ? { FERRY_SYNC_SECRET: 'x'.repeat(40) } : {});
    expect(r.code, String(r)).toBe(expected);
  });

  it('fmt --check exits 1 with FERRY_E_FMT naming each file that is not canonical', async () => {
    const before = readFileSync(join(repo.dir, ARTICLE), 'utf8');
    writeFileSync(join(repo.dir, ARTICLE), before.replace(/(\n\s*title: )(.*)/, '$1"$2"'));
    try {
      const text = await code(['fmt', '--check']);
      expect(text.code, String(text)).toBe(1);
      expect(text.stdout).toContain(`not canonical  ${ARTICLE}`);
      expect(text.stdout).toMatch(/1 of \d+ files are not canonical \(FERRY_E_FMT\)/);
      const json = await code(['fmt', '--check', '--json']);
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout)).toMatchObject({ status: 'error', changed: [ARTICLE], diagnostics: [{ code: 'FERRY_E_FMT', severity: 'error', file: ARTICLE }] });
    } finally {
      writeFileSync(join(repo.dir, ARTICLE), before);
    }
  });

  it('merge-file exits 0 when the merge is clean and 1 when it leaves conflicts', async () => {
    const base = readFileSync(join(repo.dir, ARTICLE), 'utf8');
    const side = (title: string) => base.replace(/(\n\s*title: ).*/, `$1${title}`);
    const write = (name: string, text: string) => {
      writeFileSync(join(repo.dir, name), text);
      return name;
    };
    const clean = await code(['merge-file', write('b.yaml', base), write('o.yaml', side('Ours')), write('t.yaml', base)]);
    expect(clean.code, String(clean)).toBe(0);
    const conflict = await code(['merge-file', write('b.yaml', base), write('o.yaml', side('Ours')), write('t.yaml', side('Theirs'))]);
    expect(conflict.code, String(conflict)).toBe(1);
  });

  it('status exits 4 when an environment cannot be reached, after printing the others', async () => {
    const r = await code(['status'], { FERRY_STORE_PROD: 'postgres://ferry@127.0.0.1:1/ferry?connect_timeout=1' });
    expect(r.code, String(r)).toBe(4);
    expect(r.stdout).toContain('dev');
  });
});

describe('a dry run whose plan has errors fails in every deploying command', () => {
  it('deploy --dry-run and promote --dry-run exit 1 and write nothing, with the error envelope status', async () => {
    // staging holds a workspace `extra` deployed from the working tree; the committed one has another guid.
    writeFileSync(join(repo.dir, EXTRA), extraWorkspace('11111111-1111-4111-8111-111111111111'));
    expect((await code(['deploy', '--env', 'staging', '--source', 'working-tree'])).code).toBe(0);
    repo.commit({ [EXTRA]: extraWorkspace('22222222-2222-4222-8222-222222222222') }, 'extra workspace, recreated with another guid');
    expect((await code(['deploy', '--env', 'dev'])).code).toBe(0);
    const staging = dumpStore(join(repo.dir, '.ferry', 'staging.db'));

    const promote = await code(['promote', 'dev', 'staging', '--dry-run']);
    expect(promote.code, String(promote)).toBe(1);
    expect(promote.stderr).toContain('FERRY_E_GUID_CLASH');
    const json = await code(['promote', 'dev', 'staging', '--dry-run', '--format', 'json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ status: 'error', result: 'dry-run' });
    const deploy = await code(['deploy', '--env', 'staging', '--dry-run']);
    expect(deploy.code, String(deploy)).toBe(1);
    expect(dumpStore(join(repo.dir, '.ferry', 'staging.db'))).toBe(staging);

    const plan = await code(['plan', '--env', 'staging', '--detailed-exitcode']);
    expect(plan.code, 'errors win over changes').toBe(1);
  });
});
