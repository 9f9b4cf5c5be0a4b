/**
 * Structured fields end to end on the sample repository: references held in media and rich text
 * protect their targets from deletion; a block edit reads as that block's field in `ferry diff`;
 * rich text links are named; a default, an explicit null and a set value survive a store.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeGitRepos } from '../support/gitdir.js';
import { ferry, makeSampleRepo } from '../support/sample-repo.js';
import { dumpStore } from '../support/store-dump.js';

afterAll(() => removeGitRepos());

const HOME = 'content/pages/website/home.yaml';
const ABOUT = 'content/pages/website/about.yaml';
const LATTE = '8e4467ef-729a-4a42-bab8-03ee1027cb46';
const CAFE = 'd9d67f24-3309-45d2-bfe7-9a2437a9b3bb';

/** Copies a sample asset under a new guid and code name, so that one reference alone points to it. */
function copyAsset(dir: string, from: string, codeName: string, guid: string): void {
  const yaml = readFileSync(join(dir, `content/assets/photos/${from}.yaml`), 'utf8');
  copyFileSync(join(dir, `content/assets/photos/${from}.png`), join(dir, `content/assets/photos/${codeName}.png`));
  writeFileSync(
    join(dir, `content/assets/photos/${codeName}.yaml`),
    yaml.replace(/^guid: .*$/m, `guid: ${guid}`).replace(/^codeName: .*$/m, `codeName: ${codeName}`).replace(/^fileName: .*$/m, `fileName: ${codeName}.png`),
  );
}

describe('references in media and rich text', () => {
  it('protect their targets: deleting an asset only a media field or an embed uses is refused, and nothing is written', async () => {
    const repo = makeSampleRepo();
    const media = '11111111-2222-4333-8444-555555555555';
    const embed = '66666666-7777-4888-8999-aaaaaaaaaaaa';
    copyAsset(repo.dir, 'latte-art', 'banner-only', media);
    copyAsset(repo.dir, 'cafe-interior', 'embed-only', embed);
    const read = (p: string) => readFileSync(join(repo.dir, p), 'utf8');
    repo.commit({ [HOME]: read(HOME).replace(`asset: ${LATTE}`, `asset: ${media}`), [ABOUT]: read(ABOUT).replace(`guid="${CAFE}"`, `guid="${embed}"`) }, 'Own assets for the banner and the embed');
    const first = await ferry(repo.dir, ['deploy', '--env', 'dev']);
    expect(first.code, first.stderr).toBe(0);
    const before = dumpStore(join(repo.dir, '.ferry', 'dev.db'));

    for (const [codeName, file, field] of [
      ['banner-only', 'home.yaml', 'fields.banner'],
      ['embed-only', 'about.yaml', 'variants.en-US.fields.intro'],
    ] as const) {
      const head = repo.commit({ [`content/assets/photos/${codeName}.yaml`]: null, [`content/assets/photos/${codeName}.png`]: null }, `Delete ${codeName}`);
      for (const mode of ['CreateUpdate', 'Full']) {
        const r = await ferry(repo.dir, ['deploy', '--env', 'dev', '--mode', mode]);
        expect(r.code, r.stdout + r.stderr).toBe(1);
        expect(r.stdout + r.stderr).toMatch(new RegExp(`${file.replace('.', '\\.')}:\\d+:\\d+: (error )?FERRY_E_REFERENCE ${field.replace(/\./g, '\\.')}: (shows|embeds) [a-z ]*asset [0-9a-f-]{36}, which does not exist`));
        expect(dumpStore(join(repo.dir, '.ferry', 'dev.db'))).toBe(before);
      }
      repo.git('revert', '--no-edit', head);
    }
  });
});

describe('ferry diff of structured fields', () => {
  it('shows a block edit as that block’s field, a link retargeted by name, and rich text links added by name', async () => {
    const repo = makeSampleRepo();
    const read = (p: string) => readFileSync(join(repo.dir, p), 'utf8');
    repo.commit(
      {
        [HOME]: read(HOME)
          .replace('text: The best cup on the harbour, and the friendliest.', 'text: The best cup on the harbour.')
          .replace('    anchor: upcoming\n    page: 1d47820b-116b-4b12-a1ee-6570f7040aab', '    page: 9f3d3fd2-02db-4e59-a382-6f4715e27d90'),
        [ABOUT]: read(ABOUT).replace('<p>Today we are', '<p>See <a href="ferry://page/9d645f34-6d81-4caa-8699-39926abd5c31">home</a>.</p>\n        <p>Today we are'),
      },
      'Edit a quote, retarget the primary link, link home from about',
    );
    const r = await ferry(repo.dir, ['diff', 'HEAD~1']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('    variants.en-US.fields.sections[1].fields.text: "The best cup on the harbour, and the friendliest." → "The best cup on the harbour."\n');
    expect(r.stdout).not.toMatch(/fields\.sections:/);
    expect(r.stdout).toContain('    fields.primaryLink: page events (1d47820b)#upcoming "What\'s on at the roastery" target "_self" → page about (9f3d3fd2) "What\'s on at the roastery" target "_self"\n');
    expect(r.stdout).toContain('      + link to page home (9d645f34)\n');
    const md = await ferry(repo.dir, ['diff', 'HEAD~1', '--format', 'markdown']);
    expect(md.stdout).toContain('| `fields.sections[1].fields.text` | en-US |');
  });
});

describe('defaults in stores', () => {
  it('an absent field, an explicit null and a set value come back from a store as they were written', async () => {
    const repo = makeSampleRepo();
    expect((await ferry(repo.dir, ['deploy', '--env', 'dev'])).code).toBe(0);
    const r = await ferry(repo.dir, ['serialize', '--env', 'dev']);
    expect(r.code, r.stderr).toBe(0);
    expect(repo.git('status', '--porcelain')).toBe('');
    expect(readFileSync(join(repo.dir, 'content/pages/website/contact.yaml'), 'utf8')).toContain('\n  theme: null\n');
    expect(readFileSync(join(repo.dir, ABOUT), 'utf8')).toContain('\n  theme: dark\n');
    expect(readFileSync(join(repo.dir, HOME), 'utf8')).not.toContain('theme:');
  });
});
