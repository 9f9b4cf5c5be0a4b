import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/index.js';
import { removeGitRepos } from '../support/gitdir.js';
import { PROJECT_ROOT } from '../support/sample-repo.js';
import {
  API_KEY,
  ASSET_BYTES,
  AUTH,
  DELIVERY_TOKEN,
  OTHER_TOKEN,
  guidOf,
  makeDeliveryRepo,
  notes,
  request,
  startDeliveryInstance,
  type DeliveryInstance,
} from './delivery-support.js';

/** Credentials, the entries/assets/content type endpoints and asset downloads, over raw HTTP. */

let instance: DeliveryInstance;
const uid = (code: string) => guidOf(`item:${code}`);
const pixel = guidOf('asset:pixel');
const pixelPath = `/v3/assets/${pixel}/pixel.png`;
const pixelEtag = `"${createHash('sha256').update(ASSET_BYTES.pixel).digest('hex')}"`;

beforeAll(async () => {
  const site = makeDeliveryRepo({
    notes: [
      ...notes(5),
      { code: 'draft-note', variants: { 'en-US': 'draft' } },
      { code: 'with-refs', variants: { 'en-US': 'published' }, related: ['note-0001', 'tag-a'], image: ['pixel', 'dot'] },
      { code: 'tag-a', type: 'tag', variants: { 'en-US': 'published' } },
    ],
  });
  await site.deploy();
  instance = await startDeliveryInstance(site.storeUrl);
});
afterAll(async () => {
  await instance?.stop();
  removeGitRepos();
});

const get = (target: string, headers: Record<string, string> = AUTH) => request(instance.url, target, { headers });

describe('credentials', () => {
  const SYNC = '/v3/stacks/sync?init=true';

  it('refuses missing or wrong api_key and access_token with 412 and Contentstack error bodies', async () => {
    const cases: [Record<string, string>, number, string][] = [
      [{}, 109, 'api_key'],
      [{ access_token: DELIVERY_TOKEN }, 109, 'api_key'],
      [{ api_key: 'blt-wrong', access_token: DELIVERY_TOKEN }, 109, 'api_key'],
      [{ api_key: API_KEY }, 105, 'access_token'],
      [{ api_key: API_KEY, access_token: 'cs-wrong' }, 105, 'access_token'],
      [{ api_key: API_KEY, access_token: `${DELIVERY_TOKEN}x` }, 105, 'access_token'],
      [{ api_key: API_KEY, access_token: API_KEY }, 105, 'access_token'],
    ];
    for (const [headers, code, param] of cases) {
      for (const target of [SYNC, '/v3/content_types/note/entries', '/v3/assets']) {
        const r = await get(target, headers);
        expect([target, headers, r.status]).toEqual([target, headers, 412]);
        expect(r.json).toEqual({ error_message: expect.any(String), error_code: code, errors: { [param]: [expect.any(String)] } });
      }
    }
  });

  it('accepts every configured delivery token, in headers or query parameters', async () => {
    expect((await get(SYNC, { api_key: API_KEY, access_token: OTHER_TOKEN })).status).toBe(200);
    expect((await get(`${SYNC}&api_key=${API_KEY}&access_token=${DELIVERY_TOKEN}`, {})).status).toBe(200);
  });

  it('refuses another environment and other branches with 422; accepts its own and main', async () => {
    expect((await get(`${SYNC}&environment=prod`)).status).toBe(200);
    const env = await get(`${SYNC}&environment=production`);
    expect(env.status).toBe(422);
    expect(env.json).toMatchObject({ error_code: 141, errors: { environment: ['is not valid.'] }, error_message: expect.stringContaining('"prod"') });
    expect((await get(SYNC, { ...AUTH, branch: 'main' })).status).toBe(200);
    const branch = await get(SYNC, { ...AUTH, branch: 'feature' });
    expect(branch.status).toBe(422);
    expect(branch.json.errors).toEqual({ branch: ['is not valid.'] });
  });

  it('without delivery credentials configured, refuses everything with 412', async () => {
    const { createDeliveryHandler } = await import('../../src/transport/delivery/index.js');
    const handler = createDeliveryHandler({ environment: 'prod', store: instance.store });
    const http = await import('node:http');
    const server = http.createServer((req, res) => void handler(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as { port: number }).port;
      const r = await request(`http://127.0.0.1:${port}`, SYNC);
      expect(r.status).toBe(412);
      expect(r.json.error_message).toContain('not configured');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('answers OPTIONS preflights for browsers, other methods with 405, unknown paths with 404', async () => {
    const pre = await request(instance.url, SYNC, { method: 'OPTIONS', headers: { origin: 'https://site.example', 'access-control-request-headers': 'api_key,access_token' } });
    expect(pre.status).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe('*');
    expect(pre.headers['access-control-allow-headers']).toContain('access_token');
    const post = await request(instance.url, SYNC, { method: 'POST', headers: AUTH });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD, OPTIONS');
    const unknown = await get('/v3/stacks/nope');
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ error_code: 404, error_message: expect.stringContaining('/v3/stacks/nope') });
  });
});

describe('entries', () => {
  it('lists published entries of a content type with limit, skip and include_count', async () => {
    const all = await get('/v3/content_types/note/entries?include_count=true');
    expect(all.status).toBe(200);
    expect(all.json.count).toBe(6);
    expect(all.json.entries).toHaveLength(6);
    expect(all.json.entries.map((e: any) => e.uid)).not.toContain(uid('draft-note'));
    expect(all.json.entries.every((e: any) => e.locale === 'en-US')).toBe(true);
    const page = await get('/v3/content_types/note/entries?limit=2&skip=2');
    expect(page.json.entries.map((e: any) => e.uid)).toEqual(all.json.entries.slice(2, 4).map((e: any) => e.uid));
    expect('count' in page.json).toBe(false);
    const es = await get('/v3/content_types/note/entries?locale=es-es&include_count=true');
    expect(es.json.count).toBe(2);
    expect(es.json.entries.map((e: any) => [e.uid, e.locale]).sort()).toEqual([
      [uid('note-0000'), 'es-ES'],
      [uid('note-0003'), 'es-ES'],
    ].sort());
  });

  it('shows references with their content type and asset fields as asset objects', async () => {
    const r = await get(`/v3/content_types/note/entries/${uid('with-refs')}`);
    expect(r.status).toBe(200);
    expect(r.json.entry.related).toEqual([
      { uid: uid('note-0001'), _content_type_uid: 'note' },
      { uid: uid('tag-a'), _content_type_uid: 'tag' },
    ]);
    expect(r.json.entry.image.map((a: any) => [a.uid, a.filename, a.file_size, a.url])).toEqual([
      [pixel, 'pixel.png', '1000', `${instance.url}${pixelPath}`],
      [guidOf('asset:dot'), 'dot.png', '10', `${instance.url}/v3/assets/${guidOf('asset:dot')}/dot.png`],
    ]);
  });

  it('answers a missing or unpublished entry with 422 (141), an unknown content type with 422 (118)', async () => {
    for (const target of [`/v3/content_types/note/entries/${uid('draft-note')}`, `/v3/content_types/note/entries/${uid('nope')}`, `/v3/content_types/tag/entries/${uid('note-0001')}`]) {
      const r = await get(target);
      expect([target, r.status]).toEqual([target, 422]);
      expect(r.json).toMatchObject({ error_code: 141, errors: { uid: ['is not valid.'] } });
    }
    const t = await get('/v3/content_types/nope/entries');
    expect(t.status).toBe(422);
    expect(t.json.error_code).toBe(118);
  });

  it('refuses limits over 100, negative skips and entry queries it cannot run', async () => {
    for (const q of ['limit=101', 'limit=0', 'skip=-1', 'limit=abc', 'query=%7B%22title%22%3A%22x%22%7D']) {
      const r = await get(`/v3/content_types/note/entries?${q}`);
      expect([q, r.status]).toEqual([q, 422]);
    }
    expect((await get('/v3/content_types/note/entries?query=%7B%7D')).status).toBe(200);
  });
});

describe('assets and content types', () => {
  it('lists assets and reads one', async () => {
    const list = await get('/v3/assets?include_count=true');
    expect(list.json.count).toBe(2);
    expect(list.json.assets.map((a: any) => a.filename)).toEqual(['dot.png', 'pixel.png']);
    const one = await get(`/v3/assets/${pixel}?locale=es-ES`);
    expect(one.json.asset).toMatchObject({ uid: pixel, title: 'Pixel (es)', content_type: 'image/png', publish_details: { locale: 'es-ES', environment: 'prod' } });
    const missing = await get(`/v3/assets/${uid('nope')}`);
    expect(missing.status).toBe(422);
    expect(missing.json.error_code).toBe(145);
  });

  it('describes content types as Contentstack schemas', async () => {
    const list = await get('/v3/content_types?include_count=true');
    expect(list.json.count).toBe(2);
    const note = (await get('/v3/content_types/note')).json.content_type;
    expect(note.uid).toBe('note');
    expect(note.schema.map((f: any) => [f.uid, f.data_type, f.multiple])).toEqual([
      ['title', 'text', false],
      ['headline', 'text', false],
      ['rank', 'number', false],
      ['related', 'reference', true],
      ['image', 'file', true],
    ]);
    expect(note.schema[3].reference_to).toEqual(['note', 'tag']);
  });
});

describe('asset downloads', () => {
  it('serves the bytes with Content-Type, Content-Length and the sha256 as ETag, without credentials', async () => {
    const r = await request(instance.url, pixelPath, { headers: {} });
    expect(r.status).toBe(200);
    expect(r.body.equals(ASSET_BYTES.pixel)).toBe(true);
    expect(r.headers['content-type']).toBe('image/png');
    expect(r.headers['content-length']).toBe('1000');
    expect(r.headers.etag).toBe(pixelEtag);
    expect(r.headers['accept-ranges']).toBe('bytes');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    const head = await request(instance.url, pixelPath, { method: 'HEAD', headers: {} });
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe('1000');
    expect(head.body.length).toBe(0);
  });

  it('answers If-None-Match with 304', async () => {
    for (const inm of [pixelEtag, `W/${pixelEtag}`, `"other", ${pixelEtag}`, '*']) {
      const r = await request(instance.url, pixelPath, { headers: { 'if-none-match': inm } });
      expect([inm, r.status, r.body.length]).toEqual([inm, 304, 0]);
      expect(r.headers.etag).toBe(pixelEtag);
    }
    expect((await request(instance.url, pixelPath, { headers: { 'if-none-match': '"other"' } })).status).toBe(200);
  });

  it('serves single byte ranges with 206, refuses unsatisfiable ones with 416', async () => {
    const cases: [string, number, number][] = [
      ['bytes=0-9', 0, 9],
      ['bytes=990-', 990, 999],
      ['bytes=-5', 995, 999],
      ['bytes=500-5000', 500, 999],
    ];
    for (const [range, start, end] of cases) {
      const r = await request(instance.url, pixelPath, { headers: { range } });
      expect([range, r.status]).toEqual([range, 206]);
      expect(r.headers['content-range']).toBe(`bytes ${start}-${end}/1000`);
      expect(r.headers['content-length']).toBe(String(end - start + 1));
      expect(r.body.equals(ASSET_BYTES.pixel.subarray(start, end + 1))).toBe(true);
    }
    for (const range of ['bytes=1000-', 'bytes=5000-6000', 'bytes=-0']) {
      const r = await request(instance.url, pixelPath, { headers: { range } });
      expect([range, r.status]).toEqual([range, 416]);
      expect(r.headers['content-range']).toBe('bytes */1000');
    }
    // Several ranges, a malformed one, or a stale If-Range: the whole file.
    for (const headers of [{ range: 'bytes=0-1,5-6' }, { range: 'lines=1-2' }, { range: 'bytes=0-9', 'if-range': '"stale"' }]) {
      const r = await request(instance.url, pixelPath, { headers });
      expect([headers, r.status, r.body.length]).toEqual([headers, 200, 1000]);
    }
    const fresh = await request(instance.url, pixelPath, { headers: { range: 'bytes=0-9', 'if-range': pixelEtag } });
    expect(fresh.status).toBe(206);
  });

  it('finds nothing by other names: wrong file name, not a guid, path tricks, items', async () => {
    for (const target of [
      `/v3/assets/${pixel}/dot.png`,
      `/v3/assets/${pixel}/PIXEL.png`,
      `/v3/assets/${pixel}/..%2F..%2Fprod.db`,
      `/v3/assets/..%2F..%2F..%2Fetc/passwd`,
      `/v3/assets/not-a-guid/pixel.png`,
      `/v3/assets/${uid('note-0001')}/pixel.png`,
      `/v3/assets/${pixel}/pixel.png/extra`,
      `/v3/assets/${pixel}/%E0%A4%A`,
    ]) {
      const r = await request(instance.url, target, { headers: {} });
      expect([target, r.status]).toEqual([target, 404]);
      expect(r.headers['content-type']).toContain('application/json');
    }
  });
});

describe('delivery.publicAssets', () => {
  it('default (true): asset files answer without credentials, every other endpoint asks for them', async () => {
    expect((await request(instance.url, pixelPath, { headers: {} })).status).toBe(200);
    expect((await request(instance.url, `/v3/assets/${pixel}`, { headers: {} })).status).toBe(412);
  });

  it('false: asset files need api_key and access_token too (headers or query), and refuse without them with 412', async () => {
    const closed = await startDeliveryInstance(instance.store.url, { publicAssets: false });
    try {
      const none = await request(closed.url, pixelPath, { headers: {} });
      expect(none.status).toBe(412);
      expect(none.json).toMatchObject({ error_code: 109, errors: { api_key: ['is required.'] } });
      expect((await request(closed.url, pixelPath, { headers: { api_key: API_KEY, access_token: 'cs-wrong' } })).status).toBe(412);
      const withHeaders = await request(closed.url, pixelPath, { headers: AUTH });
      expect(withHeaders.status).toBe(200);
      expect(withHeaders.body.length).toBe(ASSET_BYTES.pixel.length);
      const withQuery = await request(closed.url, `${pixelPath}?api_key=${API_KEY}&access_token=${DELIVERY_TOKEN}`, { headers: {} });
      expect(withQuery.status).toBe(200);
    } finally {
      await closed.stop();
    }
  });

  it('is read from repository.config.yaml (absent: public, see serve)', () => {
    const env = (delivery: Record<string, unknown>) => resolveConfig({ environments: [{ name: 'prod', store: 'sqlite:p.db', delivery: { apiKey: 'k', ...delivery } }] }, {}).config!.environments[0].delivery;
    expect(env({})?.publicAssets).toBeUndefined();
    expect(env({ publicAssets: false })?.publicAssets).toBe(false);
    expect(resolveConfig({ environments: [{ name: 'prod', store: 'sqlite:p.db', delivery: { apiKey: 'k', publicAssets: 'no' } }] }, {}).diagnostics[0]).toMatchObject({ code: 'FERRY_E_CONFIG' });
  });
});

describe('repository.config.yaml', () => {
  it('gives prod and staging delivery credentials, from variables with demo defaults', () => {
    const raw = load(readFileSync(join(PROJECT_ROOT, 'repository.config.yaml'), 'utf8'));
    const { config, diagnostics } = resolveConfig(raw, {});
    expect(diagnostics).toEqual([]);
    const byName = Object.fromEntries(config!.environments.map((e) => [e.name, e.delivery]));
    expect(byName).toEqual({
      dev: undefined,
      staging: { apiKey: 'blt-ferry-demo-staging', tokens: { website: 'cs-ferry-demo-token-staging' } },
      prod: { apiKey: 'blt-ferry-demo-prod', tokens: { website: 'cs-ferry-demo-token' } },
    });
    const set = resolveConfig(raw, { FERRY_API_KEY_PROD: 'blt-real', FERRY_DELIVERY_TOKEN_PROD: 'cs-real' }).config!;
    expect(set.environments.find((e) => e.name === 'prod')?.delivery).toEqual({ apiKey: 'blt-real', tokens: { website: 'cs-real' } });
    expect(set.secrets).toEqual(expect.arrayContaining(['blt-real', 'cs-real']));
  });
});
