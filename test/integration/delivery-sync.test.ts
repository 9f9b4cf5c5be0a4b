import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { removeGitRepos } from '../support/gitdir.js';
import {
  AUTH,
  LocalCopy,
  enNotes,
  getJson,
  guidOf,
  itemKeys,
  makeDeliveryRepo,
  noteFiles,
  notePath,
  notes,
  request,
  startDeliveryInstance,
  syncAll,
  type DeliveryInstance,
} from './delivery-support.js';

/** Raw HTTP tests of `GET /v3/stacks/sync` against a real instance over a real deployed store. */

const running: DeliveryInstance[] = [];
afterEach(async () => {
  for (const i of running.splice(0)) await i.stop();
});
afterAll(removeGitRepos);

async function instance(storeFile: string): Promise<DeliveryInstance> {
  const i = await startDeliveryInstance(storeFile);
  running.push(i);
  return i;
}

const INIT = '/v3/stacks/sync?init=true';
const withToken = (name: 'sync_token' | 'pagination_token', token: string) => `/v3/stacks/sync?${name}=${encodeURIComponent(token)}`;
const uid = (code: string) => guidOf(`item:${code}`);
const assetUid = (code: string) => guidOf(`asset:${code}`);

describe('pagination boundaries', () => {
  it('0 items: one empty page with only a sync_token', async () => {
    const site = makeDeliveryRepo({ notes: [{ code: 'draft-only', variants: { 'en-US': 'draft' } }], withAssets: false });
    await site.deploy();
    const i = await instance(site.storeUrl);
    const page = await getJson(i.url, INIT);
    expect(page).toEqual({ items: [], skip: 0, limit: 100, total_count: 0, sync_token: expect.any(String) });
    expect('pagination_token' in page).toBe(false);
  });

  it('exactly 100 items: one page with only a sync_token', async () => {
    const site = makeDeliveryRepo({ notes: enNotes(100), withAssets: false });
    await site.deploy();
    const i = await instance(site.storeUrl);
    const run = await syncAll(i.url, INIT);
    expect(run.pages).toHaveLength(1);
    expect(run.pages[0].items).toHaveLength(100);
    expect(run.pages[0].total_count).toBe(100);
    expect(new Set(run.items.map((x: any) => x.data.uid)).size).toBe(100);
  });

  it('101 items: 100 with only a pagination_token, then 1 with only a sync_token', async () => {
    const site = makeDeliveryRepo({ notes: enNotes(101), withAssets: false });
    await site.deploy();
    const i = await instance(site.storeUrl);
    const run = await syncAll(i.url, INIT);
    expect(run.pages.map((p) => [p.items.length, p.skip, p.total_count, Object.keys(p).filter((k) => k.endsWith('_token'))])).toEqual([
      [100, 0, 101, ['pagination_token']],
      [1, 100, 101, ['sync_token']],
    ]);
    expect(new Set(run.items.map((x: any) => x.data.uid)).size).toBe(101);
  });

  it('entries then assets across a page edge, each once; a replayed pagination token returns the same page', async () => {
    const site = makeDeliveryRepo({ notes: enNotes(99) });
    await site.deploy();
    const i = await instance(site.storeUrl);
    const run = await syncAll(i.url, INIT);
    expect(run.pages.map((p) => p.items.length)).toEqual([100, 1]);
    expect(run.pages[0].total_count).toBe(101);
    expect(run.pages[0].items[99]).toMatchObject({ type: 'asset_published', content_type_uid: 'sys_assets' });
    expect(run.pages[1].items[0]).toMatchObject({ type: 'asset_published' });
    expect(itemKeys(run.items).filter((k) => k.startsWith('asset_'))).toHaveLength(2);

    const token = run.pages[0].pagination_token;
    const again = await request(i.url, withToken('pagination_token', token));
    const again2 = await request(i.url, withToken('pagination_token', token));
    expect(again.status).toBe(200);
    expect(again.body.equals(again2.body)).toBe(true);
    expect(again.json).toEqual(run.pages[1]);
  });
});

describe('items', () => {
  it('map entries (uid, locale, title, fields, references) and assets (url, filename, file_size)', async () => {
    const site = makeDeliveryRepo({
      notes: [
        { code: 'tag-a', type: 'tag', variants: { 'en-US': 'published' } },
        { code: 'note-0001', variants: { 'en-US': 'published' } },
        { code: 'note-0002', variants: { 'en-US': 'published', 'es-ES': 'draft' }, related: ['note-0001', 'tag-a'], image: ['pixel'], headline: 'Refs' },
      ],
    });
    await site.deploy();
    const i = await instance(site.storeUrl);
    const run = await syncAll(i.url, INIT);
    const entry = run.items.find((x: any) => x.data.uid === uid('note-0002'));
    expect(entry).toEqual({
      type: 'entry_published',
      event_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      content_type_uid: 'note',
      data: {
        title: 'Refs',
        headline: 'Refs',
        rank: 2,
        related: [
          { uid: uid('note-0001'), _content_type_uid: 'note' },
          { uid: uid('tag-a'), _content_type_uid: 'tag' },
        ],
        image: [assetUid('pixel')],
        tags: [],
        uid: uid('note-0002'),
        locale: 'en-US',
        created_at: entry.event_at,
        updated_at: entry.event_at,
        _version: 1,
        publish_details: { environment: 'prod', locale: 'en-US', time: entry.event_at },
      },
    });
    // The draft es-ES variant is not delivered.
    expect(run.items.filter((x: any) => x.data.uid === uid('note-0002'))).toHaveLength(1);
    const asset = run.items.find((x: any) => x.data.uid === assetUid('pixel'));
    expect(asset).toMatchObject({
      type: 'asset_published',
      content_type_uid: 'sys_assets',
      data: {
        uid: assetUid('pixel'),
        filename: 'pixel.png',
        content_type: 'image/png',
        file_size: '1000',
        title: 'Pixel',
        description: 'Alt of pixel',
        url: `${i.url}/v3/assets/${assetUid('pixel')}/pixel.png`,
        publish_details: { environment: 'prod', locale: 'en-US' },
      },
    });
    const download = await request(i.url, new URL(asset.data.url).pathname, { headers: {} });
    expect(download.status).toBe(200);
    expect(download.body.length).toBe(1000);
  });
});

describe('filters', () => {
  const seed = () =>
    makeDeliveryRepo({
      notes: [...notes(6), { code: 'tag-a', type: 'tag', variants: { 'en-US': 'published', 'es-ES': 'published' } }, { code: 'tag-b', type: 'tag', variants: { 'en-US': 'published' } }],
    });

  it('content_type_uid, locale (any case), type (comma-joined and repeated) select what init lists', async () => {
    const site = seed();
    await site.deploy();
    const i = await instance(site.storeUrl);
    const keys = async (q: string) => itemKeys((await syncAll(i.url, `${INIT}&${q}`)).items).sort();

    expect(await keys('content_type_uid=tag')).toEqual([`entry_published:${uid('tag-a')}/en-US`, `entry_published:${uid('tag-a')}/es-ES`, `entry_published:${uid('tag-b')}/en-US`].sort());
    const es = await keys('locale=es-ES');
    expect(es).toEqual(
      [
        `entry_published:${uid('note-0000')}/es-ES`,
        `entry_published:${uid('note-0003')}/es-ES`,
        `entry_published:${uid('tag-a')}/es-ES`,
        `asset_published:${assetUid('pixel')}`,
        `asset_published:${assetUid('dot')}`,
      ].sort(),
    );
    expect(await keys('locale=es-es')).toEqual(es);
    const esAssets = (await syncAll(i.url, `${INIT}&locale=es-ES&type=asset_published`)).items;
    expect(esAssets.map((a: any) => [a.data.title, a.data.publish_details.locale]).sort()).toEqual([
      ['Dot (es)', 'es-ES'],
      ['Pixel (es)', 'es-ES'],
    ]);
    expect(await keys('type=asset_published')).toEqual([`asset_published:${assetUid('dot')}`, `asset_published:${assetUid('pixel')}`].sort());
    expect((await keys('type=entry_published')).every((k) => k.startsWith('entry_published:'))).toBe(true);
    expect(await keys('type=entry_published,asset_published')).toEqual(await keys('type[]=entry_published&type[]=asset_published'));
    expect((await keys('type=entry_published,asset_published')).length).toBe(6 + 2 + 3 + 2);
    // Deletion types only: nothing to list at init; the token still carries the filter.
    const deletions = await syncAll(i.url, `${INIT}&type=entry_deleted`);
    expect(deletions.items).toEqual([]);
    expect(deletions.pages[0].total_count).toBe(0);
  });

  it('start_from / start_date keep content published at or after the date', async () => {
    const site = seed();
    await site.deploy();
    await site.change(noteFiles(enNotes(2, 100)), 'two more');
    const i = await instance(site.storeUrl);
    const all = (await syncAll(i.url, INIT)).items;
    const times = [...new Set(all.map((x: any) => x.event_at))].sort();
    expect(times).toHaveLength(2);
    const late = itemKeys(all.filter((x: any) => x.event_at === times[1])).sort();
    expect(late).toEqual([`entry_published:${uid('note-0100')}/en-US`, `entry_published:${uid('note-0101')}/en-US`].sort());
    expect(itemKeys((await syncAll(i.url, `${INIT}&start_from=${encodeURIComponent(times[1])}`)).items).sort()).toEqual(late);
    expect(itemKeys((await syncAll(i.url, `${INIT}&start_date=${encodeURIComponent(times[1])}`)).items).sort()).toEqual(late);
    expect((await syncAll(i.url, `${INIT}&start_from=2000-01-01`)).items).toHaveLength(all.length);
  });

  it('init filters hold for the delta made with their token', async () => {
    const site = seed();
    await site.deploy();
    const i = await instance(site.storeUrl);
    const tags = await syncAll(i.url, `${INIT}&content_type_uid=tag`);
    const es = await syncAll(i.url, `${INIT}&locale=es-ES`);
    const deletions = await syncAll(i.url, `${INIT}&type=entry_deleted`);
    await site.change({
      ...noteFiles([
        { code: 'tag-a', type: 'tag', variants: { 'en-US': 'published', 'es-ES': 'published' }, headline: 'Tag A v2' },
        { code: 'note-0001', variants: { 'en-US': 'published' }, headline: 'Note 1 v2' },
        { code: 'note-0003', variants: { 'en-US': 'published', 'es-ES': 'published' }, headline: 'Note 3 v2' },
      ]),
      [notePath({ code: 'note-0004' })]: null,
    });
    const tagDelta = await syncAll(i.url, withToken('sync_token', tags.syncToken));
    expect(itemKeys(tagDelta.items).sort()).toEqual([`entry_published:${uid('tag-a')}/en-US`, `entry_published:${uid('tag-a')}/es-ES`].sort());
    const esDelta = await syncAll(i.url, withToken('sync_token', es.syncToken));
    expect(itemKeys(esDelta.items).sort()).toEqual([`entry_published:${uid('tag-a')}/es-ES`, `entry_published:${uid('note-0003')}/es-ES`].sort());
    const delDelta = await syncAll(i.url, withToken('sync_token', deletions.syncToken));
    expect(itemKeys(delDelta.items)).toEqual([`entry_deleted:${uid('note-0004')}/en-US`]);
    expect(delDelta.items[0]).toMatchObject({ content_type_uid: 'note', data: { uid: uid('note-0004'), locale: 'en-US' } });
  });

  it('refuses bad filter values with 422 and the parameter named', async () => {
    const site = seed();
    await site.deploy();
    const i = await instance(site.storeUrl);
    for (const [q, param, code] of [
      ['init=true&type=entry_publishd', 'type', 141],
      ['init=true&start_from=yesterday', 'start_from', 141],
      ['init=true&locale=fr-FR', 'locale', 141],
      ['init=true&content_type_uid=nope', 'content_type_uid', 118],
      ['init=false', 'init', 141],
      ['', 'init', 141],
      ['sync_token=a&pagination_token=b', 'sync_token', 141],
    ] as const) {
      const r = await request(i.url, `/v3/stacks/sync?${q}`);
      expect([q, r.status]).toEqual([q, 422]);
      expect(r.json).toMatchObject({ error_message: expect.any(String), error_code: code, errors: { [param]: expect.any(Array) } });
    }
  });
});

describe('deltas', () => {
  it('return exactly the change: published, new, unpublished, removed variant, deleted item, assets, content type', async () => {
    const site = makeDeliveryRepo({
      notes: [
        ...notes(6),
        { code: 'tag-a', type: 'tag', variants: { 'en-US': 'published' } },
        { code: 'tag-b', type: 'tag', variants: { 'en-US': 'published', 'es-ES': 'published' } },
      ],
    });
    await site.deploy();
    const i = await instance(site.storeUrl);
    const init = await syncAll(i.url, INIT);
    const before = new LocalCopy().apply(init.items);

    const quiet = await syncAll(i.url, withToken('sync_token', init.syncToken));
    expect(quiet.items).toEqual([]);
    expect(quiet.pages[0].total_count).toBe(0);

    await site.change({
      ...noteFiles([
        { code: 'note-0001', variants: { 'en-US': 'published' }, headline: 'Changed' },
        { code: 'note-0002', variants: { 'en-US': 'unpublished' } },
        { code: 'note-0003', variants: { 'en-US': 'published' } }, // es-ES variant removed
        { code: 'note-0100', variants: { 'en-US': 'published', 'es-ES': 'draft' } },
      ]),
      [notePath({ code: 'note-0005' })]: null,
      // The tag type goes, with its items; the dot asset goes; the pixel changes.
      [notePath({ code: 'tag-a', type: 'tag' })]: null,
      [notePath({ code: 'tag-b', type: 'tag' })]: null,
      'content/content-types/tag.yaml': null,
      'content/assets/media/dot.yaml': null,
      'content/assets/media/dot.png': null,
      'content/assets/media/pixel.yaml': (await import('node:fs')).readFileSync(`${site.repo.dir}/content/assets/media/pixel.yaml`, 'utf8').replace('title: Pixel\n', 'title: Pixel v2\n'),
    });
    const delta = await syncAll(i.url, withToken('sync_token', quiet.syncToken));
    expect(itemKeys(delta.items).sort()).toEqual(
      [
        `entry_published:${uid('note-0001')}/en-US`,
        `entry_unpublished:${uid('note-0002')}/en-US`,
        `entry_deleted:${uid('note-0003')}/es-ES`,
        `entry_published:${uid('note-0100')}/en-US`,
        `entry_deleted:${uid('note-0005')}/en-US`,
        `entry_deleted:${uid('tag-a')}/en-US`,
        `entry_deleted:${uid('tag-b')}/en-US`,
        `entry_deleted:${uid('tag-b')}/es-ES`,
        `content_type_deleted:tag`,
        `asset_deleted:${assetUid('dot')}`,
        `asset_published:${assetUid('pixel')}`,
      ].sort(),
    );
    expect(delta.pages[0].total_count).toBe(11);
    expect(delta.items.find((x: any) => x.data.uid === uid('note-0001')).data).toMatchObject({ headline: 'Changed', _version: 2 });
    expect(delta.items.find((x: any) => x.type === 'content_type_deleted')).toMatchObject({ content_type_uid: 'tag', data: { uid: 'tag' } });
    expect(delta.items.find((x: any) => x.type === 'asset_deleted')).toMatchObject({ content_type_uid: 'sys_assets', data: { uid: assetUid('dot') } });
    expect(delta.items.find((x: any) => x.type === 'asset_published').data).toMatchObject({ title: 'Pixel v2', _version: 2 });
    // Events come in change-log order.
    expect(delta.items.map((x: any) => x.event_at)).toEqual([...delta.items.map((x: any) => x.event_at)].sort());

    // A client that followed the delta holds what a fresh client gets.
    const fresh = new LocalCopy().apply((await syncAll(i.url, INIT)).items);
    expect(before.apply(delta.items).snapshot()).toEqual(fresh.snapshot());
  });

  it('report a change once, with the latest data, when later deployments superseded it', async () => {
    const site = makeDeliveryRepo({ notes: notes(4), withAssets: false });
    await site.deploy();
    const i = await instance(site.storeUrl);
    const init = await syncAll(i.url, INIT);
    await site.change(noteFiles([{ code: 'note-0001', variants: { 'en-US': 'published' }, headline: 'v2' }]));
    await site.change(noteFiles([{ code: 'note-0001', variants: { 'en-US': 'published' }, headline: 'v3' }]));
    await site.change(noteFiles([{ code: 'note-0002', variants: { 'en-US': 'unpublished' } }]));
    await site.change(noteFiles([{ code: 'note-0002', variants: { 'en-US': 'published' }, headline: 'back' }]));
    const delta = await syncAll(i.url, withToken('sync_token', init.syncToken));
    expect(itemKeys(delta.items)).toEqual([`entry_published:${uid('note-0001')}/en-US`, `entry_published:${uid('note-0002')}/en-US`]);
    expect(delta.items.map((x: any) => x.data.headline)).toEqual(['v3', 'back']);
    expect(delta.pages[0].total_count).toBe(4);
  });

  it('page 100 events at a time with skip and the same total_count', async () => {
    const site = makeDeliveryRepo({ notes: enNotes(150), withAssets: false });
    await site.deploy();
    const i = await instance(site.storeUrl);
    const init = await syncAll(i.url, INIT);
    await site.change(noteFiles(enNotes(150).map((n) => ({ ...n, headline: 'again' }))));
    const delta = await syncAll(i.url, withToken('sync_token', init.syncToken));
    expect(delta.pages.map((p) => [p.items.length, p.skip, p.total_count])).toEqual([
      [100, 0, 150],
      [50, 100, 150],
    ]);
    expect(new Set(delta.items.map((x: any) => x.data.uid)).size).toBe(150);
    expect(delta.items.every((x: any) => x.data.headline === 'again')).toBe(true);
  });
});

describe('consistency across a deployment during an initial sync', () => {
  it('loses nothing and duplicates nothing when content changes between pages', async () => {
    const site = makeDeliveryRepo({ notes: enNotes(250) });
    await site.deploy();
    const i = await instance(site.storeUrl);
    const page1 = await getJson(i.url, INIT);
    expect(page1.total_count).toBe(252);
    const served = new Set(page1.items.map((x: any) => x.data.uid));
    const codes = enNotes(250).map((n) => n.code);
    const servedCodes = codes.filter((c) => served.has(uid(c)));
    const laterCodes = codes.filter((c) => !served.has(uid(c)));
    const [a, f] = servedCodes;
    const [b, c, e] = laterCodes;

    await site.change({
      ...noteFiles([
        { code: a, variants: { 'en-US': 'published' }, headline: 'A after' }, // already served: its update comes in the delta
        { code: b, variants: { 'en-US': 'published' }, headline: 'B after' }, // not yet served: left to the delta
        { code: e, variants: { 'en-US': 'unpublished' } }, // not yet served, unpublished
        { code: f, variants: { 'en-US': 'published', 'es-ES': 'published' } }, // served; gains a variant
        { code: 'note-0999', variants: { 'en-US': 'published' } }, // new
      ]),
      [notePath({ code: c })]: null, // not yet served, deleted
    });

    let target = `/v3/stacks/sync?pagination_token=${encodeURIComponent(page1.pagination_token)}`;
    const rest: any[] = [];
    for (;;) {
      const p = await getJson(i.url, target);
      expect(p.total_count).toBe(252);
      rest.push(...p.items);
      if (p.sync_token) {
        target = withToken('sync_token', p.sync_token);
        break;
      }
      target = withToken('pagination_token', p.pagination_token);
    }
    const initItems = [...page1.items, ...rest];
    const initKeys = itemKeys(initItems);
    expect(new Set(initKeys).size).toBe(initKeys.length);
    for (const code of [b, c, e, 'note-0999']) expect(initItems.some((x: any) => x.data.uid === uid(code))).toBe(false);
    expect(initItems.filter((x: any) => x.data.uid === uid(a))).toHaveLength(1);

    const delta = await syncAll(i.url, target);
    expect(itemKeys(delta.items).sort()).toEqual(
      [
        `entry_published:${uid(a)}/en-US`,
        `entry_published:${uid(b)}/en-US`,
        `entry_unpublished:${uid(e)}/en-US`,
        `entry_published:${uid(f)}/es-ES`,
        `entry_published:${uid('note-0999')}/en-US`,
        `entry_deleted:${uid(c)}/en-US`,
      ].sort(),
    );
    expect(delta.items.find((x: any) => x.data.uid === uid(a)).data.headline).toBe('A after');

    const client = new LocalCopy().apply(initItems).apply(delta.items);
    const fresh = new LocalCopy().apply((await syncAll(i.url, INIT)).items);
    expect(client.snapshot()).toEqual(fresh.snapshot());
    expect(client.entries.size).toBe(250 - 1 - 1 + 1 + 1);
  });
});

describe('tokens', () => {
  it('stay valid across a restart of the instance and new deployments', async () => {
    const site = makeDeliveryRepo({ notes: enNotes(120) });
    await site.deploy();
    const first = await startDeliveryInstance(site.storeUrl);
    const page1 = await getJson(first.url, INIT);
    const page2 = await getJson(first.url, withToken('pagination_token', page1.pagination_token));
    const done = await syncAll(first.url, INIT);
    await first.stop();

    await site.change(noteFiles([{ code: 'note-0500', variants: { 'en-US': 'published' } }]));
    const second = await instance(site.storeUrl);
    expect(second.url).not.toBe('');
    const replay = await getJson(second.url, withToken('pagination_token', page1.pagination_token));
    expect(itemKeys(replay.items)).toEqual(itemKeys(page2.items));
    const delta = await syncAll(second.url, withToken('sync_token', done.syncToken));
    expect(itemKeys(delta.items)).toEqual([`entry_published:${uid('note-0500')}/en-US`]);
  });

  it('a token request wins over init=true', async () => {
    const site = makeDeliveryRepo({ notes: enNotes(3), withAssets: false });
    await site.deploy();
    const i = await instance(site.storeUrl);
    const init = await syncAll(i.url, INIT);
    await site.change(noteFiles([{ code: 'note-0001', variants: { 'en-US': 'published' }, headline: 'x' }]));
    const r = await getJson(i.url, `/v3/stacks/sync?init=true&sync_token=${encodeURIComponent(init.syncToken)}`);
    expect(itemKeys(r.items)).toEqual([`entry_published:${uid('note-0001')}/en-US`]);
  });

  it('refuse malformed, altered, misplaced and foreign tokens with 422', async () => {
    const site = makeDeliveryRepo({ notes: enNotes(101), withAssets: false });
    await site.deploy();
    const other = makeDeliveryRepo({ notes: enNotes(101), withAssets: false });
    await other.deploy();
    const i = await instance(site.storeUrl);
    const j = await instance(other.storeUrl);
    const page1 = await getJson(i.url, INIT);
    const done = await syncAll(i.url, INIT);
    const foreign = (await getJson(j.url, INIT)).pagination_token as string;
    const [payload, mac] = (page1.pagination_token as string).split('.');
    const state = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const forged = `${Buffer.from(JSON.stringify({ ...state, s: state.s + 5 })).toString('base64url')}.${mac}`;
    const cases: [string, 'sync_token' | 'pagination_token', string][] = [
      ['garbage', 'pagination_token', 'not a token this instance issued'],
      ['abc.def', 'sync_token', 'signature'],
      [forged, 'pagination_token', 'signature'],
      [foreign, 'pagination_token', 'signature'],
      [done.syncToken, 'pagination_token', 'sync token'],
      [page1.pagination_token, 'sync_token', 'pagination token'],
      ['x'.repeat(9000), 'sync_token', 'too long'],
    ];
    for (const [token, param, why] of cases) {
      const r = await request(i.url, withToken(param, token));
      expect([why, r.status]).toEqual([why, 422]);
      expect(r.json).toEqual({ error_message: expect.stringContaining(why), error_code: 141, errors: { [param]: ['is not valid.'] } });
    }
  });

  it('refuse a sync token ahead of the change log (a store restored from an older copy)', async () => {
    const site = makeDeliveryRepo({ notes: enNotes(2), withAssets: false });
    await site.deploy();
    const i = await instance(site.storeUrl);
    await site.change(noteFiles(enNotes(1, 10)));
    const init = await syncAll(i.url, INIT);
    // Forge nothing: roll the change log back under the instance, as a restore would.
    await site.sql('DELETE FROM change_log WHERE seq = (SELECT max(seq) FROM change_log)');
    const r = await request(i.url, withToken('sync_token', init.syncToken));
    expect(r.status).toBe(422);
    expect(r.json.error_message).toContain('ahead');
  });
});

describe('request shape', () => {
  it('accepts Content-Type: application/json on GET, and credentials as query parameters', async () => {
    const site = makeDeliveryRepo({ notes: enNotes(1), withAssets: false });
    await site.deploy();
    const i = await instance(site.storeUrl);
    const r = await request(i.url, `${INIT}&environment=prod`, { headers: { ...AUTH, 'content-type': 'application/json; charset=UTF-8', branch: 'main' } });
    expect(r.status).toBe(200);
    expect(r.json.items).toHaveLength(1);
    const q = await request(i.url, `${INIT}&api_key=${AUTH.api_key}&access_token=${AUTH.access_token}`, { headers: {} });
    expect(q.status).toBe(200);
  });
});
