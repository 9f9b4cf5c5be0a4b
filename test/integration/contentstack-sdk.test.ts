import contentstack from 'contentstack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeGitRepos } from '../support/gitdir.js';
import { makeContentRepo, runFerry, startServe, stopAllServers } from '../support/serve.js';
import {
  API_KEY,
  ASSET_BYTES,
  DELIVERY_TOKEN,
  LocalCopy,
  enNotes,
  guidOf,
  makeDeliveryRepo,
  noteFiles,
  notePath,
  startDeliveryInstance,
  syncAll,
  type DeliveryInstance,
  type DeliveryRepo,
} from './delivery-support.js';

/**
 * Contentstack's official JavaScript SDK (npm `contentstack` 3.x), unchanged, against a real
 * instance: an initial sync of 270 entries across pages, a deployment, and a delta sync that
 * returns exactly the change; then entries, assets and errors through the SDK's own calls.
 */

const uid = (code: string) => guidOf(`item:${code}`);
let site: DeliveryRepo;
let instance: DeliveryInstance;

function stack(o: { token?: string; environment?: string } = {}) {
  return contentstack
    .Stack({ api_key: API_KEY, delivery_token: o.token ?? DELIVERY_TOKEN, environment: o.environment ?? 'prod', fetchOptions: { retryLimit: 0 } } as any)
    .setHost('127.0.0.1')
    .setProtocol('http')
    .setPort(instance.port);
}

/** The SDK does not follow pagination itself: loop on pagination_token as its docs say. */
async function sdkSync(params: Record<string, unknown>): Promise<{ pages: any[]; items: any[]; syncToken: string }> {
  const s = stack();
  const pages: any[] = [];
  let result: any = await s.sync(params);
  for (;;) {
    pages.push(result);
    if (!result.pagination_token) break;
    result = await s.sync({ pagination_token: result.pagination_token });
  }
  return { pages, items: pages.flatMap((p) => p.items), syncToken: result.sync_token };
}

beforeAll(async () => {
  site = makeDeliveryRepo({ notes: enNotes(270) });
  await site.deploy();
  instance = await startDeliveryInstance(site.storeUrl);
});
afterAll(async () => {
  await instance?.stop();
  await stopAllServers();
  removeGitRepos();
});

describe('Contentstack JavaScript SDK v3', () => {
  it('init sync across pages, a deployment, then a delta sync with exactly the change', async () => {
    const init = await sdkSync({ init: true });
    expect(init.pages.map((p) => p.items.length)).toEqual([100, 100, 72]);
    expect(init.pages.every((p) => p.total_count === 272)).toBe(true);
    expect(init.pages.slice(0, -1).every((p) => typeof p.pagination_token === 'string' && p.sync_token === undefined)).toBe(true);
    expect(init.pages.at(-1).pagination_token).toBeUndefined();
    expect(init.syncToken).toEqual(expect.any(String));
    const entries = init.items.filter((i) => i.type === 'entry_published');
    expect(entries).toHaveLength(270);
    expect(new Set(entries.map((i) => i.data.uid)).size).toBe(270);
    expect(entries.find((i) => i.data.uid === uid('note-0005'))).toMatchObject({ content_type_uid: 'note', data: { locale: 'en-US', title: 'Headline note-0005', rank: 5 } });
    const assets = init.items.filter((i) => i.type === 'asset_published');
    expect(assets.map((a) => a.data.filename).sort()).toEqual(['dot.png', 'pixel.png']);
    // The asset URL the SDK hands out serves the file.
    const pixel = assets.find((a) => a.data.filename === 'pixel.png');
    const file = await fetch(pixel.data.url);
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(ASSET_BYTES.pixel)).toBe(true);

    await site.change({
      ...noteFiles([
        { code: 'note-0005', variants: { 'en-US': 'published' }, headline: 'Edited through git' },
        { code: 'note-0020', variants: { 'en-US': 'unpublished' } },
        { code: 'note-0300', variants: { 'en-US': 'published' }, headline: 'Brand new' },
      ]),
      [notePath({ code: 'note-0010' })]: null,
    });

    const delta = await sdkSync({ sync_token: init.syncToken });
    expect(delta.pages).toHaveLength(1);
    expect(delta.items.map((i) => [i.type, i.data.uid, i.data.locale]).sort()).toEqual(
      [
        ['entry_published', uid('note-0005'), 'en-US'],
        ['entry_unpublished', uid('note-0020'), 'en-US'],
        ['entry_published', uid('note-0300'), 'en-US'],
        ['entry_deleted', uid('note-0010'), 'en-US'],
      ].sort(),
    );
    expect(delta.items.find((i) => i.data.uid === uid('note-0005')).data.headline).toBe('Edited through git');

    // The client's copy now equals a fresh one; and nothing more comes next time.
    const client = new LocalCopy().apply(init.items).apply(delta.items);
    const fresh = new LocalCopy().apply((await syncAll(instance.url, '/v3/stacks/sync?init=true')).items);
    expect(client.snapshot()).toEqual(fresh.snapshot());
    const next = await sdkSync({ sync_token: delta.syncToken });
    expect(next.items).toEqual([]);
  });

  it('filters an init sync by content type, locale and type', async () => {
    const notesOnly = await sdkSync({ init: true, content_type_uid: 'note', locale: 'en-us' });
    expect(notesOnly.items.every((i) => i.type === 'entry_published' && i.content_type_uid === 'note' && i.data.locale === 'en-US')).toBe(true);
    const assetsOnly = await sdkSync({ init: true, type: 'asset_published' });
    expect(assetsOnly.items.map((i) => i.type)).toEqual(['asset_published', 'asset_published']);
  });

  it('reads entries, one entry and assets', async () => {
    const [entries, count] = await stack().ContentType('note').Query().includeCount().limit(5).toJSON().find();
    expect(entries).toHaveLength(5);
    expect(count).toBeGreaterThanOrEqual(269);
    const entry = await stack().ContentType('note').Entry(uid('note-0007')).toJSON().fetch();
    expect(entry).toMatchObject({ uid: uid('note-0007'), title: 'Headline note-0007', locale: 'en-US' });
    const asset = await stack().Assets(guidOf('asset:dot')).toJSON().fetch();
    expect(asset).toMatchObject({ uid: guidOf('asset:dot'), filename: 'dot.png', file_size: '10' });
  });

  it('hands the server errors to the caller: bad token, wrong environment, bad sync token, missing entry', async () => {
    await expect(stack({ token: 'cs-wrong' }).sync({ init: true })).rejects.toMatchObject({ status: 412, error_code: 105, errors: { access_token: ['is not valid.'] } });
    await expect(stack({ environment: 'production' }).sync({ init: true })).rejects.toMatchObject({ status: 422, errors: { environment: ['is not valid.'] } });
    await expect(stack().sync({ sync_token: 'not-a-token' })).rejects.toMatchObject({ status: 422, error_code: 141, error_message: expect.stringContaining('sync_token') });
    await expect(stack().ContentType('note').Entry(uid('missing')).toJSON().fetch()).rejects.toMatchObject({ status: 422, error_code: 141 });
  });
});

describe('a real `ferry serve` process', () => {
  it('serves the Sync API of the environment with the credentials of repository.config.yaml', async () => {
    // The root repository.config.yaml: prod's delivery credentials default to the demo values.
    const prod = await startServe({ env: 'prod' });
    const repo = makeContentRepo();
    const deployed = await runFerry(['deploy', '--env', 'prod'], { cwd: repo.dir, env: { FERRY_STORE_PROD: prod.url } });
    expect(deployed.code, deployed.stderr).toBe(0);
    const s = contentstack
      .Stack({ api_key: 'blt-ferry-demo-prod', delivery_token: 'cs-ferry-demo-token', environment: 'prod', fetchOptions: { retryLimit: 0 } } as any)
      .setHost('127.0.0.1')
      .setProtocol('http')
      .setPort(prod.port);
    let page: any = await s.sync({ init: true });
    const items = [...page.items];
    while (page.pagination_token) {
      page = await s.sync({ pagination_token: page.pagination_token });
      items.push(...page.items);
    }
    expect(page.sync_token).toEqual(expect.any(String));
    expect(items.filter((i) => i.type === 'asset_published')).toHaveLength(6);
    expect(items.filter((i) => i.type === 'entry_published').length).toBeGreaterThan(40);
    const coffee = items.find((i) => i.content_type_uid === 'article' && i.data.locale === 'en-US');
    expect(coffee.data.publish_details.environment).toBe('prod');
    await expect(s.ContentType('article').Query().toJSON().find()).resolves.toEqual([expect.any(Array)]);

    // The sample's home page holds every structured field kind; the SDK passes each shape through.
    const HOME = '9d645f34-6d81-4caa-8699-39926abd5c31';
    const EVENTS = '1d47820b-116b-4b12-a1ee-6570f7040aab';
    const ORIGINS = 'f083aef4-a0a2-475e-899a-b25d509eaee3';
    const LATTE = '8e4467ef-729a-4a42-bab8-03ee1027cb46';
    const synced = items.find((i) => i.content_type_uid === 'landing-page' && i.data.uid === HOME && i.data.locale === 'en-US').data;
    expect(synced.headline).toBe('Coffee roasted by the harbour');
    // Modular blocks: one key per block, the block type's uid, holding its fields.
    expect(synced.sections.map((b: object) => Object.keys(b))).toEqual([['hero'], ['quote'], ['spotlight']]);
    expect(synced.sections[0].hero).toMatchObject({ heading: 'Fresh from Pier 3', cta: { title: 'Shop our coffee', href: 'https://www.ferry-coffee.example/coffee' } });
    expect(synced.sections[1].quote).toEqual({ text: 'The best cup on the harbour, and the friendliest.', attribution: 'A regular on the 7:15 ferry' });
    // A references field allowing items and pages: each with its own content type uid.
    expect(synced.sections[2].spotlight.items).toEqual([
      { uid: ORIGINS, _content_type_uid: 'article' },
      { uid: EVENTS, _content_type_uid: 'landing-page' },
    ]);
    // A group, an internal link, a defaulted field left out (it stays out), a media field with its per-use attributes.
    expect(synced.seo).toEqual({ metaTitle: 'Ferry Coffee, roasted by the harbour', metaDescription: 'Small-batch coffee roasted on Pier 3, served in our café and shipped to your door.' });
    expect(synced.primaryLink).toEqual({ title: "What's on at the roastery", href: `ferry://page/${EVENTS}#upcoming`, uid: EVENTS, _content_type_uid: 'landing-page', target: '_self' });
    expect('theme' in synced).toBe(false);
    expect(synced.banner).toMatchObject({ uid: LATTE, description: 'A flat white with a fern in the foam', dimension: { width: 800, height: 600 }, focal_point: { x: 0.5, y: 0.4 }, crop: { x: 0, y: 4, width: 32, height: 24 } });
    expect(synced.featured).toHaveLength(3);
    // The entries endpoint expands the media's asset into a file object, attributes on top.
    const home = await s.ContentType('landing-page').Entry(HOME).toJSON().fetch();
    expect(home.banner).toMatchObject({ uid: LATTE, filename: 'latte-art.png', content_type: 'image/png', description: 'A flat white with a fern in the foam', dimension: { width: 800, height: 600 } });
    expect(home.banner.url).toMatch(new RegExp(`/v3/assets/${LATTE}/latte-art\\.png$`));
    expect(home.sections[0].hero.image).toMatchObject({ filename: 'coffee-beans.png', description: 'Beans cooling after the roast', focal_point: { x: 0.5, y: 0.5 } });
    // An external link, and a default overridden.
    const about = await s.ContentType('landing-page').Entry('9f3d3fd2-02db-4e59-a382-6f4715e27d90').toJSON().fetch();
    expect(about.primaryLink).toEqual({ title: 'Find us on Pier 3', href: 'https://maps.example.com/?q=Pier+3', title_attribute: 'Opens a map in a new tab', target: '_blank' });
    expect(about.theme).toBe('dark');
    expect(about.intro).toContain(`<ferry-embed guid="d9d67f24-3309-45d2-bfe7-9a2437a9b3bb"></ferry-embed>`);
    // The content type schema names the kinds: group, blocks, link, file, reference.
    const [types] = await s.getContentTypes({ include_global_field_schema: false } as any).then((r: any) => [r.content_types]);
    const landing = types.find((t: any) => t.uid === 'landing-page');
    expect(Object.fromEntries(landing.schema.map((f: any) => [f.uid, f.data_type]))).toMatchObject({ sections: 'blocks', seo: 'group', primaryLink: 'link', banner: 'file', theme: 'text' });
    // The default is in the schema, where Contentstack keeps it.
    expect(landing.schema.find((f: any) => f.uid === 'theme').field_metadata).toEqual({ default_value: 'light' });
    await expect(
      contentstack.Stack({ api_key: 'blt-ferry-demo-prod', delivery_token: 'wrong', environment: 'prod', fetchOptions: { retryLimit: 0 } } as any).setHost('127.0.0.1').setProtocol('http').setPort(prod.port).sync({ init: true }),
    ).rejects.toMatchObject({ status: 412, error_code: 105 });
    expect(await prod.stop()).toBe(0);
  });
});
