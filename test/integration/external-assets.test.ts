/**
 * External assets (`source: { url, sha256, size }`): validated, recorded by deploy without a blob,
 * returned by the delivery API as their URL, and checked by `deploy --verify-external` against a
 * real HTTP server on 127.0.0.1 (loopback only: tests never leave the machine).
 */
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/index.js';
import { removeGitRepos, type GitRepo } from '../support/gitdir.js';
import { makeContentRepo, runFerry, startServe, stopAllServers } from '../support/serve.js';

const FOLDER_GUID = '7a2c1e40-3b5d-4c6e-8f70-9a1b2c3d4e00';
const BROCHURE_GUID = '7a2c1e40-3b5d-4c6e-8f70-9a1b2c3d4e01';
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function brochureYaml(url: string, bytes: Uint8Array, extra = ''): string {
  return [
    'kind: asset',
    `guid: ${BROCHURE_GUID}`,
    'codeName: brochure',
    'folder: media',
    'fileName: brochure.pdf',
    'mediaType: application/pdf',
    'source:',
    `  url: ${url}`,
    `  sha256: ${sha256(bytes)}`,
    `  size: ${bytes.byteLength}`,
    extra,
  ].join('\n');
}

describe('external assets', () => {
  let repo: GitRepo;
  let files: http.Server;
  let served: Buffer = randomBytes(300_000);
  let gets = 0;
  let url: string;
  const pdf = randomBytes(300_000);

  beforeAll(async () => {
    files = http.createServer((req, res) => {
      gets++;
      res.writeHead(200, { 'content-type': 'application/pdf', 'content-length': String(served.byteLength) });
      res.end(served);
    });
    await new Promise<void>((r) => files.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(files.address() as AddressInfo).port}/dam/brochure.pdf`;
    served = pdf;
    repo = makeContentRepo();
    repo.commit({
      'content/assets/media/_folder.yaml': `kind: assetFolder\nguid: ${FOLDER_GUID}\ncodeName: media\ndisplayName: Media\n`,
      'content/assets/media/brochure.yaml': brochureYaml(url, pdf),
    });
  });

  afterAll(async () => {
    await stopAllServers();
    await new Promise((r) => files.close(r));
    removeGitRepos();
  });

  it('validates the source fields: a URL that is not https (nor loopback http), and size/sha256 beside source, are refused', async () => {
    repo.write({ 'content/assets/media/brochure.yaml': brochureYaml('http://cdn.example.com/brochure.pdf', pdf, `size: ${pdf.byteLength}\n`) });
    const bad = await runFerry(['validate', '--format', 'json'], { cwd: repo.dir });
    expect(bad.code).toBe(1);
    const messages = (JSON.parse(bad.stdout) as { diagnostics: { code: string; message: string }[] }).diagnostics.map((d) => `${d.code} ${d.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^FERRY_E_SCHEMA .*source\.url.* must be an `https:\/\/` URL/),
        expect.stringMatching(/^FERRY_E_SCHEMA .*`size` must be left out here \(an external asset gives them in `source`\)/),
      ]),
    );
    repo.git('checkout', '--', '.');
    const good = await runFerry(['validate'], { cwd: repo.dir });
    expect(good.stderr).toBe('');
    expect(good.code).toBe(0);
  });

  it('deploys the reference (no blob), checks it with --verify-external, and delivers the URL', async () => {
    const before = gets;
    const r = await runFerry(['deploy', '--env', 'staging', '--verify-external'], { cwd: repo.dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(gets).toBe(before + 1);

    const store = SqliteStore.open(join(repo.dir, '.ferry', 'staging.db'));
    try {
      const asset = (await store.getObjects([BROCHURE_GUID])).get(BROCHURE_GUID)?.object;
      expect(asset).toMatchObject({ kind: 'asset', source: { url, sha256: sha256(pdf), size: pdf.byteLength } });
      expect(asset).not.toHaveProperty('sha256');
      expect(await store.hasBlob(sha256(pdf))).toBe(false);
    } finally {
      await store.close();
    }

    const instance = await startServe({ env: 'staging', dir: repo.dir });
    const answer = await fetch(`${instance.url}/v3/assets/${BROCHURE_GUID}`, { headers: { api_key: 'blt-ferry-demo-staging', access_token: 'cs-ferry-demo-token-staging' } });
    expect(answer.status).toBe(200);
    const body = (await answer.json()) as { asset: { url: string; file_size: string; filename: string } };
    expect(body.asset).toMatchObject({ url, file_size: String(pdf.byteLength), filename: 'brochure.pdf' });
    const file = await fetch(`${instance.url}/v3/assets/${BROCHURE_GUID}/brochure.pdf`, { redirect: 'manual' });
    expect(file.status).toBe(302);
    expect(file.headers.get('location')).toBe(url);
    await instance.stop();
  });

  it('refuses and writes nothing when the bytes at the URL are not what source says (--verify-external)', async () => {
    served = randomBytes(pdf.byteLength);
    try {
      const r = await runFerry(['deploy', '--env', 'prod', '--verify-external'], { cwd: repo.dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('FERRY_E_ASSET');
      expect(r.stderr).toContain(`External asset \`brochure\`: ${url} has ${pdf.byteLength} bytes with sha256 ${sha256(served)}`);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      const store = SqliteStore.open(join(repo.dir, '.ferry', 'prod.db'));
      try {
        expect(await store.listObjects()).toEqual([]);
      } finally {
        await store.close();
      }
      // Without the flag the reference is recorded as it is: the URL is not fetched.
      const before = gets;
      expect((await runFerry(['deploy', '--env', 'prod'], { cwd: repo.dir })).code).toBe(0);
      expect(gets).toBe(before);
    } finally {
      served = pdf;
    }
  });
});
