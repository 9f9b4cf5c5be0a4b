/**
 * Content folders and workflows end to end (issue 13), on the sample content through the real
 * CLI and a real SQLite store: a folder move is one rename in the diff and deploys; a cyclic
 * folder tree, a folder left behind by its files, a non-empty folder deleted alone and an
 * undeclared workflow step are refused with file, line and object, and nothing is written; a
 * folder deleted with its contents is deleted in Full mode, each deletion listed in the plan.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/index.js';
import { removeGitRepos, type GitRepo } from '../support/gitdir.js';
import { ferry, makeSampleRepo } from '../support/sample-repo.js';

afterAll(removeGitRepos);

const EVENTS = 'content/items/events';
const YEAR = `${EVENTS}/2026`;
const read = (repo: GitRepo, path: string) => readFileSync(join(repo.dir, path), 'utf8');

async function deployed(): Promise<GitRepo> {
  const repo = makeSampleRepo();
  const r = await ferry(repo.dir, ['deploy', '--env', 'dev']);
  expect(r.code, r.stderr).toBe(0);
  return repo;
}

async function storeState(repo: GitRepo): Promise<unknown> {
  const store = SqliteStore.open(join(repo.dir, '.ferry/dev.db'));
  try {
    return { objects: await store.listObjects(), deployments: (await store.deployments()).filter((d) => d.status === 'succeeded').length };
  } finally {
    await store.close();
  }
}

/** Moves `2026` from below `events` to the root: its directory, and its parent. */
function moveYearToRoot(repo: GitRepo): Record<string, string | null> {
  const folder = read(repo, `${YEAR}/_folder.yaml`).replace('../../../../schemas/', '../../../schemas/').replace(/parent: .*\n/, '');
  const files: Record<string, string | null> = { [`${YEAR}/_folder.yaml`]: null, 'content/items/2026/_folder.yaml': folder };
  for (const name of ['roasters-summit-2026.yaml', 'latte-art-open-2026.yaml']) {
    files[`${YEAR}/${name}`] = null;
    // The second names its folder by code-name path: that path changes too.
    files[`content/items/2026/${name}`] = read(repo, `${YEAR}/${name}`).replace('../../../../schemas/', '../../../schemas/').replace('folder: events/2026', 'folder: "2026"');
  }
  return files;
}

describe('content folders and workflows, end to end', () => {
  it('a folder move is one rename in the diff; the deployment moves what is below it', async () => {
    const repo = await deployed();
    repo.commit(moveYearToRoot(repo), 'Move 2026 to the root');
    const diff = await ferry(repo.dir, ['diff', 'HEAD~1', '--format', 'json']);
    expect(diff.code, diff.stderr).toBe(0);
    const changes = JSON.parse(diff.stdout).changes as { op: string; kind: string; codeName: string }[];
    // One rename of the folder; the item that names it by code-name path changed its own text.
    expect(changes.map((c) => `${c.op} ${c.kind} ${c.codeName}`)).toEqual(['rename contentFolder 2026', 'rename contentItem latte-art-open-2026']);
    const plan = await ferry(repo.dir, ['plan', '--env', 'dev']);
    expect(plan.stdout).toMatch(/rename +contentItem roasters-summit-2026 +— moved with its content folder \(from content\/items\/events\/2026\/roasters-summit-2026\.yaml\)/);
    const r = await ferry(repo.dir, ['deploy', '--env', 'dev']);
    expect(r.code, r.stderr).toBe(0);
    const { objects } = (await storeState(repo)) as { objects: { codeName: string; path: string }[] };
    expect(objects.filter((o) => o.codeName.endsWith('2026')).map((o) => o.path).sort()).toEqual([
      'content/items/2026/_folder.yaml',
      'content/items/2026/latte-art-open-2026.yaml',
      'content/items/2026/roasters-summit-2026.yaml',
    ]);
  });

  describe('refuses and writes nothing when', () => {
    const cases: [string, (repo: GitRepo) => Record<string, string | null>, RegExp][] = [
      [
        'the folder tree is cyclic',
        (repo) => ({ [`${EVENTS}/_folder.yaml`]: `${read(repo, `${EVENTS}/_folder.yaml`)}parent: 9b7f4c12-2e8d-4a63-b5f1-6d0a3e9c4b27\n` }),
        /content\/items\/events\/_folder\.yaml:\d+:\d+: FERRY_E_FOLDER_TREE content folders form a loop through their parents: events -> 2026 -> events/,
      ],
      [
        'a folder moves without the files below it',
        (repo) => {
          const files = moveYearToRoot(repo);
          return { [`${YEAR}/_folder.yaml`]: null, 'content/items/2026/_folder.yaml': files['content/items/2026/_folder.yaml'] };
        },
        /content\/items\/events\/2026\/roasters-summit-2026\.yaml:\d+:\d+: FERRY_E_PATH.*it belongs at `content\/items\/2026\/roasters-summit-2026\.yaml`/,
      ],
      [
        'a non-empty folder is deleted alone',
        () => ({ [`${YEAR}/_folder.yaml`]: null }),
        /roasters-summit-2026\.yaml:\d+:\d+: FERRY_E_REFERENCE.*folder: content folder `9b7f4c12-2e8d-4a63-b5f1-6d0a3e9c4b27` does not exist/,
      ],
      [
        'a variant is at a step its workspace does not declare',
        (repo) => ({ [`${YEAR}/roasters-summit-2026.yaml`]: read(repo, `${YEAR}/roasters-summit-2026.yaml`).replace('step: review', 'step: legal-check') }),
        /roasters-summit-2026\.yaml:\d+:\d+: FERRY_E_WORKFLOW.*declares no step `legal-check`/,
      ],
    ];
    it.each(cases)('%s', async (_name, edit, finding) => {
      const repo = await deployed();
      const before = await storeState(repo);
      repo.commit(edit(repo), 'a mistake');
      for (const mode of ['CreateUpdate', 'Full']) {
        const r = await ferry(repo.dir, ['deploy', '--env', 'dev', '--mode', mode]);
        expect(r.code, r.stdout + r.stderr).toBe(1);
        expect(`${r.stdout}${r.stderr}`).toMatch(finding);
      }
      expect(await storeState(repo)).toEqual(before);
    });
  });

  it('a folder deleted with everything in it: Full mode deletes each, listed in the plan; CreateUpdate skips them', async () => {
    const repo = await deployed();
    repo.commit({ [`${EVENTS}/_folder.yaml`]: null, [`${YEAR}/_folder.yaml`]: null, [`${YEAR}/roasters-summit-2026.yaml`]: null, [`${YEAR}/latte-art-open-2026.yaml`]: null }, 'Drop the events folder');
    const skipped = await ferry(repo.dir, ['plan', '--env', 'dev']);
    expect(skipped.stdout).toMatch(/skip +contentFolder events .*deletions not applied/);
    const full = await ferry(repo.dir, ['plan', '--env', 'dev', '--mode', 'Full']);
    for (const name of ['contentFolder events', 'contentFolder 2026', 'contentItem roasters-summit-2026', 'contentItem latte-art-open-2026']) {
      expect(full.stdout).toMatch(new RegExp(`delete +${name} +— deleted from the repository`));
    }
    const r = await ferry(repo.dir, ['deploy', '--env', 'dev', '--mode', 'Full']);
    expect(r.code, r.stderr).toBe(0);
    const { objects } = (await storeState(repo)) as { objects: { kind: string }[] };
    expect(objects.filter((o) => o.kind === 'contentFolder')).toEqual([]);
  });

  it('a workflow move shows in the diff and the plan, and only the published step is delivered', async () => {
    const repo = await deployed();
    const path = `${YEAR}/roasters-summit-2026.yaml`;
    repo.commit({ [path]: read(repo, path).replace('step: review', 'step: approved') }, 'Approve');
    const diff = await ferry(repo.dir, ['diff', 'HEAD~1']);
    expect(diff.stdout).toMatch(/variants\.es-ES\.step.*review.*approved/);
    const plan = await ferry(repo.dir, ['plan', '--env', 'dev']);
    expect(plan.stdout).toContain('workflow es-ES review → approved');
    expect(plan.stdout).not.toMatch(/publish es-ES/);
    repo.commit({ [path]: read(repo, path).replace('status: draft\n    step: approved', 'status: published\n    step: published') }, 'Publish');
    const publish = await ferry(repo.dir, ['plan', '--env', 'dev']);
    expect(publish.stdout).toMatch(/workflow es-ES (review|approved) → published; publish es-ES|publish es-ES/);
  });
});
