import { describe, expect, it } from 'vitest';
import type { Change } from '../model/index.js';
import { diffEntries, diffSnapshots } from './diff-entries.js';
import { summarizeChangeset, totalOpCounts } from './summary.js';
import { asset, contentType, edit, entry, field, item, language, page, snapshotOf, variant } from './test-support/builders.js';

const en = language('en-US', 'English', true);
const es = language('es-ES', 'Spanish');
const article = contentType(10, 'article', [field(1, 'title', 'text', { required: true })]);
const origins = item(1, 'coffee-origins', 'article', {
  'en-US': variant('Coffee origins', { title: 'Coffee origins' }),
  'es-ES': variant('Orígenes', { title: 'Orígenes' }, 'draft'),
});
const brewing = item(2, 'brewing', 'article', { 'en-US': variant('Brewing', { title: 'Brewing' }) });
const home = page(20, 'home', { 'en-US': { ...variant('Home'), slug: 'home' } });
const about = page(21, 'about', { 'en-US': { ...variant('About'), slug: 'about' } }, { parent: home.guid, order: 1 });
const photo = asset(30, 'espresso');

const base = snapshotOf([en, es, article, origins, brewing, home, about, photo], 'aaa');

function summaryLine(c: Change): string {
  const fields = 'fields' in c ? ` [${c.fields.map((f) => f.path).join(', ')}]` : '';
  const from = c.op === 'rename' ? ` from ${c.fromCodeName} ${c.fromPath}` : '';
  return `${c.op} ${c.kind} ${c.codeName} ${c.path}${from}${fields}`;
}

describe('diffSnapshots', () => {
  it('is empty between a snapshot and itself, and labels the sides with the commits', () => {
    const cs = diffSnapshots(base, snapshotOf([...base.entries.values()], 'bbb'));
    expect(cs).toEqual({ changes: [], base: 'aaa', head: 'bbb' });
  });

  it('trusts equal hashes and never compares the parsed objects', () => {
    const lying = entry(edit(origins, (o) => (o.variants['en-US'].displayName = 'changed')), undefined, base.entries.get(origins.guid)!.hash);
    const cs = diffSnapshots(base, snapshotOf([...[...base.entries.values()].filter((e) => e.key !== origins.guid), lying]));
    expect(cs.changes).toEqual([]);
  });

  it('skips a file whose bytes changed but whose content did not (formatting only)', () => {
    const reformatted = entry(origins, undefined, 'f'.repeat(40));
    const cs = diffSnapshots(base, snapshotOf([...[...base.entries.values()].filter((e) => e.key !== origins.guid), reformatted]));
    expect(cs.changes).toEqual([]);
  });

  it('finds every kind of change, sorted by kind order then code name', () => {
    const head = snapshotOf([
      en,
      es,
      language('fr-FR', 'French'),
      edit(article, (t) => t.fields.push(field(2, 'summary', 'longText'))),
      edit(origins, (o) => {
        o.variants['es-ES'].fields.title = 'El origen';
        o.variants['es-ES'].status = 'published';
      }),
      // brewing deleted
      item(3, 'roasting', 'article', { 'en-US': variant('Roasting', { title: 'Roasting' }) }),
      home,
      edit(about, (p) => {
        p.parent = undefined;
        p.order = 3;
      }),
      edit(photo, (a) => {
        a.sha256 = 'c'.repeat(64);
        a.size = 4096;
      }),
    ], 'bbb');
    const cs = diffSnapshots(base, head);
    expect(cs.changes.map(summaryLine)).toEqual([
      'create language fr-FR content/languages/fr-FR.yaml',
      'update contentType article content/content-types/article.yaml [fields[summary]]',
      'update asset espresso content/assets/photos/espresso.yaml [sha256, size]',
      'delete contentItem brewing content/items/article/brewing.yaml',
      'update contentItem coffee-origins content/items/article/coffee-origins.yaml [variants.es-ES.fields.title, variants.es-ES.status]',
      'create contentItem roasting content/items/article/roasting.yaml',
      'update page about content/pages/website/about.yaml [order, parent]',
    ]);
    const s = summarizeChangeset(cs);
    expect(s.contentItem).toEqual({ create: 1, update: 1, rename: 0, delete: 1 });
    expect(s.workspace).toEqual({ create: 0, update: 0, rename: 0, delete: 0 });
    expect(totalOpCounts(s)).toEqual({ create: 2, update: 4, rename: 0, delete: 1 });
  });

  it('reports a code name change (new path) as a rename carrying its field changes', () => {
    const renamed = edit(origins, (o) => {
      o.codeName = 'origins';
      o.variants['en-US'].displayName = 'Origins';
    });
    const cs = diffSnapshots(base, snapshotOf([...[...base.entries.values()].filter((e) => e.key !== origins.guid), renamed]));
    expect(cs.changes).toHaveLength(1);
    const c = cs.changes[0];
    expect(c.op).toBe('rename');
    if (c.op !== 'rename') return;
    expect([c.fromCodeName, c.fromPath, c.codeName, c.path]).toEqual([
      'coffee-origins',
      'content/items/article/coffee-origins.yaml',
      'origins',
      'content/items/article/origins.yaml',
    ]);
    expect(c.fields.map((f) => f.path)).toEqual(['codeName', 'variants.en-US.displayName']);
  });

  it('reports the same file at a new path (same bytes) as a rename without field changes', () => {
    const moved = entry(origins, 'content/items/article/archive/coffee-origins.yaml');
    const cs = diffSnapshots(base, snapshotOf([...[...base.entries.values()].filter((e) => e.key !== origins.guid), moved]));
    expect(cs.changes).toMatchObject([{ op: 'rename', fromPath: 'content/items/article/coffee-origins.yaml', path: moved.path, fields: [] }]);
  });

  it('reports an object whose kind changed under the same key as delete + create', () => {
    const impostor = { ...brewing, kind: 'page', channel: 'website', order: 0, variants: {} } as unknown as typeof home;
    const cs = diffEntries([entry(brewing)], [entry(impostor)]);
    expect(cs.changes.map((c) => `${c.op} ${c.kind}`)).toEqual(['delete contentItem', 'create page']);
  });
});

describe('diffEntries (partial snapshots from a tree diff)', () => {
  it('pairs a deleted path and an added path with the same guid into ONE rename', () => {
    const oldFile = entry(origins);
    const newFile = entry(edit(origins, (o) => (o.codeName = 'origins')));
    const cs = diffEntries([oldFile], [newFile], { base: 'aaa', head: 'bbb' });
    expect(cs.base).toBe('aaa');
    expect(cs.head).toBe('bbb');
    expect(cs.changes.map(summaryLine)).toEqual([
      'rename contentItem origins content/items/article/origins.yaml from coffee-origins content/items/article/coffee-origins.yaml [codeName]',
    ]);
  });

  it('gives create, update and delete for added, modified and deleted paths', () => {
    const cs = diffEntries(
      [entry(origins), entry(brewing)],
      [entry(edit(origins, (o) => (o.variants['en-US'].status = 'unpublished'))), entry(photo)],
    );
    expect(cs.changes.map(summaryLine)).toEqual([
      'create asset espresso content/assets/photos/espresso.yaml',
      'delete contentItem brewing content/items/article/brewing.yaml',
      'update contentItem coffee-origins content/items/article/coffee-origins.yaml [variants.en-US.status]',
    ]);
  });

  it('pairs duplicate keys by path first, deterministically', () => {
    const a = entry(origins, 'content/items/article/a.yaml');
    const b = entry(origins, 'content/items/article/b.yaml');
    const b2 = entry(edit(origins, (o) => (o.variants['en-US'].displayName = 'X')), 'content/items/article/b.yaml');
    const cs = diffEntries([a, b], [b2]);
    expect(cs.changes.map((c) => `${c.op} ${c.path}`)).toEqual(['delete content/items/article/a.yaml', 'update content/items/article/b.yaml']);
    const reversed = diffEntries([b, a], [b2]);
    expect(reversed.changes).toEqual(cs.changes);
  });

  it('equals diffSnapshots when given every entry', () => {
    const head = snapshotOf([en, edit(origins, (o) => (o.codeName = 'renamed')), brewing, photo]);
    expect(diffEntries(base.entries.values(), head.entries.values()).changes).toEqual(diffSnapshots(base, head).changes);
  });
});

describe('filters', () => {
  const head = snapshotOf([
    en,
    es,
    edit(article, (t) => (t.displayName = 'Article')),
    edit(origins, (o) => {
      o.variants['es-ES'].fields.title = 'El origen';
      o.variants['en-US'].fields.title = 'Origins';
    }),
    edit(brewing, (o) => (o.fields.rating = 5)),
    item(3, 'spanish-only', 'article', { 'es-ES': variant('Solo', { title: 'Solo' }) }),
    home,
    about,
    edit(photo, (a) => (a.metadata['es-ES'] = { title: 'Café' })),
  ]);

  it('kinds keeps only those kinds', () => {
    const cs = diffSnapshots(base, head, { kinds: ['contentType', 'asset'] });
    expect(cs.changes.map((c) => c.codeName)).toEqual(['article', 'espresso']);
  });

  it('languages keeps changes touching those variants and narrows their fields', () => {
    const cs = diffSnapshots(base, head, { languages: ['es-ES'] });
    expect(cs.changes.map(summaryLine)).toEqual([
      'update asset espresso content/assets/photos/espresso.yaml [metadata.es-ES]',
      'update contentItem coffee-origins content/items/article/coffee-origins.yaml [variants.es-ES.fields.title]',
      'create contentItem spanish-only content/items/article/spanish-only.yaml',
    ]);
    const none = diffSnapshots(base, head, { languages: ['de-DE'] });
    expect(none.changes).toEqual([]);
  });

  it('languages keeps language objects with those codes', () => {
    const cs = diffSnapshots(base, snapshotOf([...base.entries.values(), language('fr-FR', 'French')]), { languages: ['fr-FR'] });
    expect(cs.changes.map(summaryLine)).toEqual(['create language fr-FR content/languages/fr-FR.yaml']);
  });

  it('paths keeps changes below the given folders, git-pathspec style', () => {
    expect(diffSnapshots(base, head, { paths: ['content/items/'] }).changes.map((c) => c.codeName)).toEqual(['brewing', 'coffee-origins', 'spanish-only']);
    expect(diffSnapshots(base, head, { paths: ['./content/items/article/brewing.yaml'] }).changes.map((c) => c.codeName)).toEqual(['brewing']);
    expect(diffSnapshots(base, head, { paths: ['content/items/art'] }).changes).toEqual([]);
    expect(diffSnapshots(base, head, { paths: ['.'] }).changes).toHaveLength(5);
    // An asset's binary path selects the asset.
    expect(diffSnapshots(base, head, { paths: ['content/assets/photos/espresso.jpg'] }).changes.map((c) => c.codeName)).toEqual(['espresso']);
  });

  it('paths match a rename by its old path too', () => {
    const moved = snapshotOf([...[...base.entries.values()].filter((e) => e.key !== brewing.guid), entry(brewing, 'content/items/other/brewing.yaml')]);
    expect(diffSnapshots(base, moved, { paths: ['content/items/article'] }).changes.map((c) => c.op)).toEqual(['rename']);
  });

  it('filters combine', () => {
    const cs = diffSnapshots(base, head, { kinds: ['contentItem'], languages: ['en-US'], paths: ['content/items'] });
    expect(cs.changes.map((c) => c.codeName)).toEqual(['coffee-origins']);
  });
});

describe('content folders', () => {
  const folder = (n: number, codeName: string, parent?: string) => ({
    kind: 'contentFolder' as const,
    guid: `00000000-0000-4000-8000-0000000000${String(n).padStart(2, '0')}`,
    codeName,
    displayName: codeName,
    workspace: 'editorial',
    ...(parent ? { parent } : {}),
  });
  const events = folder(50, 'events');
  const archive = folder(51, 'archive');
  const year = folder(52, '2026', events.guid);
  const month = folder(53, 'may', year.guid);
  const talk = { ...item(54, 'keynote', 'article', { 'en-US': variant('Keynote', { title: 'Keynote' }) }), folder: month.guid };
  const at = (o: Parameters<typeof entry>[0], dir: string, name = `${o.codeName}.yaml`) => entry(o, `content/items/${dir}/${name}`);

  it('shows moving a folder (and everything below it) as one rename of that folder', () => {
    const before = [at(events, 'events', '_folder.yaml'), at(archive, 'archive', '_folder.yaml'), at(year, 'events/2026', '_folder.yaml'), at(month, 'events/2026/may', '_folder.yaml'), at(talk, 'events/2026/may')];
    const movedYear = { ...year, parent: archive.guid };
    const after = [before[0], before[1], at(movedYear, 'archive/2026', '_folder.yaml'), at(month, 'archive/2026/may', '_folder.yaml'), at(talk, 'archive/2026/may')];
    for (const cs of [diffSnapshots(snapshotOf(before), snapshotOf(after)), diffEntries(before.slice(2), after.slice(2))]) {
      expect(cs.changes.map(summaryLine)).toEqual(['rename contentFolder 2026 content/items/archive/2026/_folder.yaml from 2026 content/items/events/2026/_folder.yaml [parent]']);
    }
  });

  it('still shows an item that moved to another folder, and one edited while its folder moved', () => {
    const before = [at(year, 'events/2026', '_folder.yaml'), at(talk, 'events/2026/may')];
    const edited = { ...talk, folder: year.guid, variants: { 'en-US': variant('Keynote!', { title: 'Keynote' }) } };
    const cs = diffSnapshots(snapshotOf(before), snapshotOf([before[0], at(edited, 'events/2026')]));
    expect(cs.changes.map(summaryLine)).toEqual([
      'rename contentItem keynote content/items/events/2026/keynote.yaml from keynote content/items/events/2026/may/keynote.yaml [folder, variants.en-US.displayName]',
    ]);
  });
});

