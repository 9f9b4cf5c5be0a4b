/**
 * Reviewable references: a changed reference reads by kind and code name with the short guid
 * beside it, in `ferry diff` and `ferry plan` (text and markdown), and JSON adds the names to the
 * guids; a plan step that publishes an already published variant says "republish" and why.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeGitRepos, type GitRepo } from '../support/gitdir.js';
import { ferry, makeSampleRepo } from '../support/sample-repo.js';

const PAGE = 'content/pages/website/brewing-at-home.yaml';
const COFFEE = 'f8706404-29d8-4d7e-a7f8-5e5afa26011f';
const HOME = '9d645f34-6d81-4caa-8699-39926abd5c31';
let repo: GitRepo;

beforeAll(async () => {
  repo = makeSampleRepo();
  expect((await ferry(repo.dir, ['deploy', '--env', 'dev'])).code).toBe(0);
  const text = readFileSync(join(repo.dir, PAGE), 'utf8');
  expect(text).toContain(`parent: ${COFFEE}`);
  repo.commit({ [PAGE]: text.replace(`parent: ${COFFEE}`, `parent: ${HOME}`) }, 'Move brewing-at-home under home');
});
afterAll(removeGitRepos);

describe('ferry diff', () => {
  it('text names both ends of a changed parent', async () => {
    const r = await ferry(repo.dir, ['diff', 'HEAD~1']);
    expect(r.stdout).toContain('    parent: page coffee (f8706404) → page home (9d645f34)\n');
    expect(r.stdout).not.toContain(COFFEE);
  });

  it('markdown names them in the table', async () => {
    const r = await ferry(repo.dir, ['diff', 'HEAD~1', '--format', 'markdown']);
    expect(r.stdout).toContain('| `parent` |  | `page coffee (f8706404)` | `page home (9d645f34)` |');
  });

  it('JSON keeps the guids and adds the names', async () => {
    const doc = JSON.parse((await ferry(repo.dir, ['diff', 'HEAD~1', '--format', 'json'])).stdout);
    expect(doc.changes[0].fields).toEqual([{ path: 'parent', name: 'parent', before: COFFEE, after: HOME }]);
    expect(doc.names).toEqual({ [COFFEE]: { kind: 'page', codeName: 'coffee' }, [HOME]: { kind: 'page', codeName: 'home' } });
  });

  it('names an item reference when the diff read that item, and leaves an unread one as its guid', async () => {
    const r2 = makeSampleRepo();
    const huila = 'content/items/article/harvest-trip-huila.yaml';
    const espresso = 'content/items/article/espresso-basics.yaml';
    const read = (p: string) => readFileSync(join(r2.dir, p), 'utf8');
    r2.commit({ [huila]: read(huila).replace('- f083aef4-a0a2-475e-899a-b25d509eaee3', '- 9fec3910-bf48-4b89-bfbc-8b121fde6505') }, 'Relate espresso-basics instead');
    const unread = await ferry(r2.dir, ['diff', 'HEAD~1']);
    expect(unread.stdout).toContain('["f083aef4-a0a2-475e-899a-b25d509eaee3"] → ["9fec3910-bf48-4b89-bfbc-8b121fde6505"]');
    r2.commit({ [espresso]: read(espresso).replace('status: published', 'status: draft') }, 'Unpublish espresso-basics');
    const read2 = await ferry(r2.dir, ['diff', 'HEAD~2']);
    expect(read2.stdout).toContain('fields.related: ["f083aef4-a0a2-475e-899a-b25d509eaee3"] → contentItem espresso-basics (9fec3910)');
  });
});

describe('ferry plan', () => {
  it('text and markdown name the changed reference, from the target, and say republish', async () => {
    const text = await ferry(repo.dir, ['plan', '--env', 'dev']);
    expect(text.stdout).toMatch(/~ update {4}page brewing-at-home {2}— changed: parent; republish en-US, es-ES \[parent: page coffee \(f8706404\) → page home \(9d645f34\)\]/);
    const md = await ferry(repo.dir, ['plan', '--env', 'dev', '--format', 'markdown']);
    expect(md.stdout).toContain('[parent: page coffee (f8706404) → page home (9d645f34)]');
    expect(md.stdout).toContain('republish en-US, es-ES');
  });

  it('JSON marks republish steps and says why', async () => {
    const doc = JSON.parse((await ferry(repo.dir, ['plan', '--env', 'dev', '--format', 'json'])).stdout);
    const publishes = doc.plan.steps.filter((s: { action: string }) => s.action === 'publish');
    expect(publishes.map((s: { language: string; republish?: boolean; reason: string }) => [s.language, s.republish, s.reason])).toEqual([
      ['en-US', true, 'republish: shared field parent changed'],
      ['es-ES', true, 'republish: shared field parent changed'],
    ]);
    expect(doc.plan.names).toEqual({ [COFFEE]: { kind: 'page', codeName: 'coffee' }, [HOME]: { kind: 'page', codeName: 'home' } });
  });
});
