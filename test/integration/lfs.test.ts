/**
 * Git LFS end to end, with the real `git lfs` (Debian's git-lfs) and a local bare remote over a
 * file URL: a 50 MB binary committed through LFS, a clone that does not smudge, plan and deploy
 * to a `ferry serve` instance, the stored bytes' sha256, delivery with range requests; and a
 * missing LFS object, which is a FERRY_E_LFS naming the file and the remote, with nothing written.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/index.js';
import { makeTempDir, removeGitRepos, runGit, writeTree, type GitRepo } from '../support/gitdir.js';
import { makeContentRepo, runFerry, startServe, stopAllServers, type ServeHandle } from '../support/serve.js';

const MB = 1024 * 1024;
const HERO_GUID = '6f1f7f3e-6b7a-4d59-9a57-0c1f3b1f5a01';
const INTRO_GUID = '6f1f7f3e-6b7a-4d59-9a57-0c1f3b1f5a02';
const FOLDER_GUID = '6f1f7f3e-6b7a-4d59-9a57-0c1f3b1f5a00';
const HERO = 'content/assets/media/hero-video.mp4';
const INTRO = 'content/assets/media/intro.mp4';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function assetYaml(guid: string, codeName: string, fileName: string, bytes: Uint8Array): string {
  return [
    'kind: asset',
    `guid: ${guid}`,
    `codeName: ${codeName}`,
    'folder: media',
    `fileName: ${fileName}`,
    'mediaType: video/mp4',
    `size: ${bytes.byteLength}`,
    `sha256: ${sha256(bytes)}`,
    '',
  ].join('\n');
}

/** The sample config with limits fit for video, so 50 MB passes `assets.maxSize`. */
function lfsConfig(repo: GitRepo): string {
  const text = readFileSync(join(repo.dir, 'repository.config.yaml'), 'utf8');
  return text.replace(/assets:\n  maxSize: 5MB\n  extensions: \[([^\]]*)\]/, 'assets:\n  maxSize: 100MB\n  extensions: [$1, mp4]');
}

/** Git LFS set up by hand (the test repositories run no hooks, so objects are pushed explicitly). */
function enableLfs(dir: string): void {
  runGit(dir, ['config', 'filter.lfs.clean', 'git-lfs clean -- %f']);
  runGit(dir, ['config', 'filter.lfs.smudge', 'git-lfs smudge -- %f']);
  runGit(dir, ['config', 'filter.lfs.process', 'git-lfs filter-process']);
  runGit(dir, ['config', 'filter.lfs.required', 'true']);
}

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

function lfsObjectPath(gitDir: string, sha: string): string {
  return join(gitDir, 'lfs', 'objects', sha.slice(0, 2), sha.slice(2, 4), sha);
}

describe('Git LFS assets, end to end with real git lfs', () => {
  const hero = randomBytes(50 * MB);
  const intro = randomBytes(1 * MB);
  let repo: GitRepo;
  let remote: string;
  let remoteUrl: string;
  let first: string;
  let second: string;
  let staging: ServeHandle;

  const clone = (): string => {
    const dir = join(makeTempDir('ferry-lfs-clone-'), 'w');
    runGit(process.cwd(), ['clone', '-q', remoteUrl, dir], { GIT_LFS_SKIP_SMUDGE: '1' });
    return dir;
  };

  beforeAll(async () => {
    repo = makeContentRepo();
    enableLfs(repo.dir);
    repo.commit({
      'repository.config.yaml': lfsConfig(repo),
      '.gitattributes': 'content/assets/**/*.mp4 filter=lfs diff=lfs merge=lfs -text\n',
      'content/assets/media/_folder.yaml': `kind: assetFolder\nguid: ${FOLDER_GUID}\ncodeName: media\ndisplayName: Media\n`,
      'content/assets/media/hero-video.yaml': assetYaml(HERO_GUID, 'hero-video', 'hero-video.mp4', hero),
      [HERO]: hero,
    });
    first = repo.head();
    second = repo.commit({ 'content/assets/media/intro.yaml': assetYaml(INTRO_GUID, 'intro', 'intro.mp4', intro), [INTRO]: intro });
    // Git holds pointers, not the bytes.
    expect(Number(repo.git('cat-file', '-s', `${first}:${HERO}`))).toBeLessThan(200);

    remote = join(makeTempDir('ferry-lfs-remote-'), 'remote.git');
    runGit(process.cwd(), ['init', '-q', '--bare', '-b', 'main', remote]);
    remoteUrl = `file://${remote}`;
    repo.git('remote', 'add', 'origin', remoteUrl);
    repo.git('push', '-q', 'origin', 'main');
    repo.git('lfs', 'push', '--all', 'origin');
    expect(existsSync(lfsObjectPath(remote, sha256(hero)))).toBe(true);

    const instance = makeTempDir('ferry-lfs-instance-');
    writeTree(instance, { 'repository.config.yaml': lfsConfig(repo) });
    staging = await startServe({ env: 'staging', dir: instance });
  }, 120_000);

  afterAll(async () => {
    await stopAllServers();
    removeGitRepos();
  });

  it('plans and deploys a clone that did not smudge: LFS objects fetched for exactly the plan, streamed to the instance, served with ranges', async () => {
    const dir = clone();
    const gitDir = join(dir, '.git');
    // The working tree has pointer files, and no LFS object was downloaded.
    expect(statSync(join(dir, HERO)).size).toBeLessThan(200);
    expect(existsSync(lfsObjectPath(gitDir, sha256(hero)))).toBe(false);
    const vars = { FERRY_STORE_STAGING: staging.url };

    const plan = await runFerry(['plan', '--env', 'staging', '--ref', first, '--format', 'json'], { cwd: dir, env: vars });
    expect(plan.stderr).toBe('');
    const planned = JSON.parse(plan.stdout) as { plan: { steps: { key: string; action: string }[] } };
    expect(planned.plan.steps.find((s) => s.key === HERO_GUID)?.action).toBe('create');

    const deployed = await runFerry(['deploy', '--env', 'staging', '--ref', first], { cwd: dir, env: vars });
    expect(deployed.stderr).toBe('');
    expect(deployed.code).toBe(0);
    // Fetched: the object of the commit deployed; not the one only a later commit has.
    expect(statSync(lfsObjectPath(gitDir, sha256(hero))).size).toBe(hero.byteLength);
    expect(existsSync(lfsObjectPath(gitDir, sha256(intro)))).toBe(false);

    // The instance's blob folder holds the real bytes, under their sha256.
    const onDisk = SqliteStore.open(staging.storeFile);
    try {
      const stored = await onDisk.readBlob(sha256(hero));
      expect(stored && sha256(stored)).toBe(sha256(hero));
      const asset = (await onDisk.getObjects([HERO_GUID])).get(HERO_GUID)?.object;
      expect(asset).toMatchObject({ kind: 'asset', size: hero.byteLength, sha256: sha256(hero) });
    } finally {
      await onDisk.close();
    }

    const url = `${staging.url}/v3/assets/${HERO_GUID}/hero-video.mp4`;
    const whole = await get(url);
    expect(whole.status).toBe(200);
    expect(whole.headers['content-length']).toBe(String(hero.byteLength));
    expect(sha256(whole.body)).toBe(sha256(hero));
    const start = 20 * MB + 17;
    const part = await get(url, { range: `bytes=${start}-${start + 999}` });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes ${start}-${start + 999}/${hero.byteLength}`);
    expect(part.body.equals(hero.subarray(start, start + 1000))).toBe(true);
    const tail = await get(url, { range: 'bytes=-10' });
    expect(tail.status).toBe(206);
    expect(tail.body.equals(hero.subarray(hero.byteLength - 10))).toBe(true);

    const next = await runFerry(['deploy', '--env', 'staging', '--ref', second], { cwd: dir, env: vars });
    expect(next.code).toBe(0);
    expect(statSync(lfsObjectPath(gitDir, sha256(intro))).size).toBe(intro.byteLength);
    expect(sha256((await get(`${staging.url}/v3/assets/${INTRO_GUID}/intro.mp4`)).body)).toBe(sha256(intro));

    // The working folder holds pointers too: a working-tree deploy reads the same LFS objects.
    const fromFolder = await runFerry(['deploy', '--env', 'dev', '--source', 'working-tree'], { cwd: dir });
    expect(fromFolder.stderr).toBe('');
    expect(fromFolder.code).toBe(0);
    const dev = SqliteStore.open(join(dir, '.ferry', 'dev.db'));
    try {
      const stored = await dev.readBlob(sha256(hero));
      expect(stored && sha256(stored)).toBe(sha256(hero));
    } finally {
      await dev.close();
    }
  }, 180_000);

  it('shows an LFS binary change like any binary change: size and sha256, old → new', async () => {
    const dir = clone();
    const replaced = randomBytes(2 * MB);
    enableLfs(dir);
    writeFileSync(join(dir, INTRO), replaced);
    writeFileSync(join(dir, 'content/assets/media/intro.yaml'), assetYaml(INTRO_GUID, 'intro', 'intro.mp4', replaced));
    runGit(dir, ['add', '-A']);
    runGit(dir, ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'new intro']);
    expect(Number(runGit(dir, ['cat-file', '-s', `HEAD:${INTRO}`]))).toBeLessThan(200);
    const diff = await runFerry(['diff', 'HEAD~1', 'HEAD', '--format', 'json'], { cwd: dir });
    expect(diff.stderr).toBe('');
    const text = diff.stdout;
    expect(text).toContain(sha256(intro));
    expect(text).toContain(sha256(replaced));
    expect(text).toContain(String(replaced.byteLength));
  }, 60_000);

  it('validates a pointer against the object it names, and ferry fmt --fix-assets records the object\'s size and sha256', async () => {
    const dir = clone();
    const yamlPath = join(dir, 'content/assets/media/hero-video.yaml');
    writeFileSync(yamlPath, readFileSync(yamlPath, 'utf8').replace(sha256(hero), 'ab'.repeat(32)).replace(`size: ${hero.byteLength}`, 'size: 7'));
    const bad = await runFerry(['validate'], { cwd: dir });
    expect(bad.code).toBe(1);
    const said = bad.stdout + bad.stderr;
    expect(said).toContain(`sha256: the file says ${'ab'.repeat(32)} but the Git LFS object of ${HERO} has sha256 ${sha256(hero)}`);
    expect(said).toContain(`size: the file says 7 bytes but the Git LFS object of ${HERO} has ${hero.byteLength} bytes`);
    const fixed = await runFerry(['fmt', '--fix-assets', 'content/assets/media'], { cwd: dir });
    expect(fixed.code).toBe(0);
    const after = readFileSync(yamlPath, 'utf8');
    expect(after).toContain(`\nsize: ${hero.byteLength}\nsha256: ${sha256(hero)}\n`);
    expect(after).not.toContain('ab'.repeat(32));
    // The pointer is still a pointer: nothing was downloaded to fix the file.
    expect(statSync(join(dir, HERO)).size).toBeLessThan(200);
    expect((await runFerry(['validate'], { cwd: dir })).code).toBe(0);
  }, 60_000);

  it('refuses and writes nothing when an LFS object is neither local nor on the LFS remote: FERRY_E_LFS names the file and the remote', async () => {
    const dir = clone();
    rmSync(lfsObjectPath(remote, sha256(hero)));
    const r = await runFerry(['deploy', '--env', 'dev', '--ref', first], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('FERRY_E_LFS');
    expect(r.stderr).toContain(HERO);
    expect(r.stderr).toContain(remoteUrl);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const store = SqliteStore.open(join(dir, '.ferry', 'dev.db'));
    try {
      expect(await store.listObjects()).toEqual([]);
      expect(await store.hasBlob(sha256(hero))).toBe(false);
      const blobDir = join(dir, '.ferry', 'dev.db.blobs');
      expect(existsSync(blobDir) ? readdirSync(blobDir, { recursive: true }) : []).toEqual([]);
      const [record] = await store.deployments();
      expect(record).toMatchObject({ status: 'failed' });
      expect(record.diagnostics[0]).toMatchObject({ code: 'FERRY_E_LFS' });
    } finally {
      await store.close();
    }
  }, 60_000);

  it('ferry init --lfs adds LFS lines to an existing .gitattributes without losing or repeating lines; git routes asset binaries to LFS', async () => {
    const dir = makeTempDir('ferry-init-lfs-');
    runGit(dir, ['init', '-q', '-b', 'main']);
    writeFileSync(join(dir, '.gitattributes'), '*.psd binary\n');
    const first = await runFerry(['init', '--lfs'], { cwd: dir });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('git lfs install');
    const again = await runFerry(['init', '--lfs', '--force'], { cwd: dir });
    expect(again.code).toBe(0);
    const text = readFileSync(join(dir, '.gitattributes'), 'utf8');
    expect(text.startsWith('*.psd binary\n')).toBe(true);
    expect(text.split('\n').filter((l) => l === 'content/assets/**/*.png filter=lfs diff=lfs merge=lfs -text')).toHaveLength(1);
    expect(text).toContain('content/**/*.yaml text eol=lf diff=ferry');
    expect(runGit(dir, ['check-attr', 'filter', '--', 'content/assets/photos/a.png', 'content/assets/photos/a.yaml', 'content/assets/logos/b.svg'])).toBe(
      ['content/assets/photos/a.png: filter: lfs', 'content/assets/photos/a.yaml: filter: unspecified', 'content/assets/logos/b.svg: filter: unspecified'].join('\n'),
    );
  });
});
