// A representative changeset for golden files and renderer tests: one of every kind of change.
import type { Changeset } from '../../model/index.js';
import { diffSnapshots } from '../diff-entries.js';
import { asset, contentType, edit, entry, field, guid, item, language, page, snapshotOf, variant } from './builders.js';

const longBody = (n: number, changed: ReadonlySet<number>) =>
  Array.from({ length: n }, (_, i) => `<p>Paragraph ${i + 1}${changed.has(i + 1) ? ' (revised)' : ''}.</p>`).join('\n') + '\n';

export function representativeChangeset(): Changeset {
  const en = language('en-US', 'English', true);
  const es = language('es-ES', 'Spanish');
  const article = contentType(10, 'article', [field(1, 'title', 'text', { required: true }), field(2, 'body', 'richText')], { usage: 'reusable' });
  const origins = item(1, 'coffee-origins', 'article', {
    'en-US': variant('Coffee origins', { title: 'Coffee origins', body: '<p>Coffee grows in the bean belt.</p>\n<p>Ethiopia is where it began.</p>\n' }),
    'es-ES': variant('Orígenes del café', { title: 'Orígenes del café' }, 'draft'),
  }, { heroImage: [guid(30)] });
  const guide = item(2, 'brewing-guide', 'article', { 'en-US': variant('Brewing guide', { title: 'Brewing guide', body: longBody(40, new Set()) }) });
  const tips = item(3, 'tips', 'article', { 'en-US': variant('Tips', { title: 'Tips | tricks' }) });
  const old = item(4, 'old-news', 'article', { 'en-US': variant('Old news', { title: 'Old news' }) });
  const home = page(20, 'home', { 'en-US': { ...variant('Home'), slug: 'home' } });
  const about = page(21, 'about', { 'en-US': { ...variant('About us'), slug: 'about' } }, { parent: home.guid, order: 1 });
  const photo = asset(30, 'espresso', { metadata: { 'en-US': { title: 'Espresso', alt: 'A cup of espresso' } } });

  const base = snapshotOf([en, es, article, origins, guide, tips, old, home, about, photo], 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678');
  const head = snapshotOf(
    [
      en,
      es,
      language('fr-FR', 'French'),
      edit(article, (t) => t.fields.push(field(3, 'summary', 'longText', { validation: { maxLength: 300 } }))),
      edit(origins, (o) => {
        o.variants['es-ES'].status = 'published';
        o.variants['es-ES'].fields.title = 'El origen del café';
        o.variants['en-US'].fields.body = '<p>Coffee grows in the bean belt.</p>\n<p>Ethiopia is where it all began.</p>\n<p>Yemen traded it first.</p>\n';
        o.variants['fr-FR'] = variant('Origines du café', { title: 'Origines du café' }, 'draft');
      }),
      edit(guide, (o) => {
        o.variants['en-US'].fields.body = longBody(40, new Set([3, 20, 37]));
      }),
      // tips: code name changed, so its file moved too
      edit(tips, (o) => {
        o.codeName = 'tips-and-tricks';
        o.variants['en-US'].displayName = 'Tips and tricks';
        o.variants['en-US'].fields.title = 'Tips | `tricks` <b>bold</b>';
      }),
      // old-news deleted
      item(5, 'cold-brew', 'article', { 'en-US': variant('Cold brew', { title: 'Cold brew' }), 'es-ES': variant('Café frío', { title: 'Café frío' }, 'draft') }),
      home,
      edit(about, (p) => {
        p.parent = undefined;
        p.order = 2;
        p.variants['en-US'].slug = 'about-us';
      }),
      entry(
        edit(photo, (a) => {
          a.sha256 = 'b'.repeat(64);
          a.size = 20480;
        }),
        'content/assets/photos/espresso.yaml',
      ),
    ],
    '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c',
  );
  return diffSnapshots(base, head);
}

/** `n` created items, each with a long body, to exceed any comment limit. */
export function largeChangeset(n: number): Changeset {
  const body = Array.from({ length: 8 }, (_, i) => `<p>Line ${i}</p>`).join('\n') + '\n';
  const items = Array.from({ length: n }, (_, i) =>
    item(10_000 + i, `item-${String(i).padStart(5, '0')}`, 'article', { 'en-US': variant(`Item ${i}`, { title: `Item ${i}`, body }) }),
  );
  const base = snapshotOf(items.map((it) => edit(it, (o) => (o.variants['en-US'].status = 'draft'))));
  const head = snapshotOf(items.map((it) => edit(it, (o) => (o.variants['en-US'].fields.body = body.replace('Line 3', 'Line three')))));
  return diffSnapshots(base, head);
}
