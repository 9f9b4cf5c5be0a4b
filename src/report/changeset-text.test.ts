import { describe, expect, it } from 'vitest';
import { diffEntries } from '../diff/index.js';
import { representativeChangeset } from '../diff/test-support/representative.js';
import { edit, entry, item, variant } from '../diff/test-support/builders.js';
import { renderChangesetMarkdown } from './changeset-markdown.js';
import { renderChangesetText } from './changeset-text.js';

const ANSI = /\x1b\[/;

describe('renderChangesetText', () => {
  const cs = representativeChangeset();

  it('uses ANSI colour only when asked', () => {
    expect(renderChangesetText(cs, { color: false })).not.toMatch(ANSI);
    const colored = renderChangesetText(cs, { color: true });
    expect(colored).toContain('\x1b[33m~\x1b[0m contentItem coffee-origins (article)');
    expect(colored).toContain('\x1b[31m-<p>Ethiopia is where it began.</p>\x1b[0m');
    expect(colored).toContain('\x1b[32m+<p>Yemen traded it first.</p>\x1b[0m');
    // Same text once the colours are removed.
    expect(colored.replace(/\x1b\[\d+m/g, '')).toBe(renderChangesetText(cs, { color: false }));
  });

  it('prints counts only with stat', () => {
    const out = renderChangesetText(cs, { color: false, stat: true });
    expect(out).toContain(' contentItem | 1 created, 2 updated, 1 renamed, 1 deleted\n');
    expect(out).toContain(' 9 objects changed: 2 created, 5 updated, 1 renamed, 1 deleted\n');
    expect(out).not.toContain('coffee-origins');
  });

  it('prints one line per object and its fields', () => {
    const out = renderChangesetText(cs, { color: false });
    expect(out).toContain('~ contentItem coffee-origins (article) content/items/article/coffee-origins.yaml\n');
    expect(out).toContain('    variants.es-ES.status: "draft" → "published"\n');
    expect(out).toContain('    variants.fr-FR: added draft · "Origines du café" · 1 field\n');
    expect(out).toContain('    parent: removed "00000000-0000-4000-8000-000000000014"\n');
    expect(out).toContain('- contentItem old-news (article) content/items/article/old-news.yaml\n');
    expect(out).toContain('> contentItem tips-and-tricks (article) content/items/article/tips-and-tricks.yaml (renamed from tips, content/items/article/tips.yaml)\n');
  });

  it('says "moved" when the code name stayed and labels a text added from nothing', () => {
    const a = item(1, 'x', 'article', { en: variant('X') });
    const b = edit(a, (o) => (o.variants.en.fields.body = 'one\ntwo\n'));
    const out = renderChangesetText(diffEntries([entry(a)], [entry(b, 'content/items/other/x.yaml')]), { color: false });
    expect(out).toBe(
      [
        ' contentItem | 1 renamed',
        ' 1 object changed: 1 renamed',
        '',
        '> contentItem x (article) content/items/other/x.yaml (moved from content/items/article/x.yaml)',
        '    variants.en.fields.body: added',
        '      @@ -0,0 +1,2 @@',
        '      +one',
        '      +two',
        '',
      ].join('\n'),
    );
  });

  it('shows a one-line long text like other fields: no "No newline at end of file" pair', () => {
    const long = (w: string) => `A one-line summary that is longer than a table cell shows, about ${w} coffee and its origins.`;
    const a = item(1, 'x', 'article', { en: variant('X', { summary: long('Ethiopian') }) });
    const b = edit(a, (o) => (o.variants.en.fields.summary = long('Yemeni')));
    const cs = diffEntries([entry(a)], [entry(b)]);
    const out = renderChangesetText(cs, { color: false });
    expect(out).toContain(`      @@ -1,1 +1,1 @@\n      -${long('Ethiopian')}\n      +${long('Yemeni')}\n`);
    expect(out).not.toContain('No newline');
    const md = renderChangesetMarkdown(cs).markdown;
    expect(md).toContain(`-${long('Ethiopian')}\n+${long('Yemeni')}\n`);
    expect(md).not.toContain('No newline');
  });

  it('says when nothing changed', () => {
    expect(renderChangesetText({ changes: [], base: 'main', head: 'HEAD' }, { color: false })).toBe('main..HEAD\nNo content changes.\n');
  });
});

describe('renderChangesetText safety', () => {
  it('prints control characters from content as escapes, never raw', () => {
    const a = item(1, 'x', 'article', { en: variant('X', { body: 'one\n' }) });
    const b = edit(a, (o) => {
      o.variants.en.fields.body = 'one\n\x1b[2Jtwo\n';
      o.variants.en.displayName = 'X\x1b]0;title\x07';
    });
    const out = renderChangesetText(diffEntries([entry(a)], [entry(b)]), { color: false });
    expect(out).not.toContain('\x1b');
    expect(out).toContain('      +\\x1b[2Jtwo\n');
    expect(out).toContain('    variants.en.displayName: "X" → "X\\u001b]0;title\\u0007"\n');
  });
});

describe('renderChangesetText with structured fields', () => {
  const home = '00000000-0000-4000-8000-000000000020';
  const photo = '00000000-0000-4000-8000-000000000030';
  const names = { [home]: { kind: 'page' as const, codeName: 'home' }, [photo]: { kind: 'asset' as const, codeName: 'espresso' } };

  it('shows a block edit at its field, links and media by the names of their targets, and rich text links added and removed', () => {
    const a = item(1, 'x', 'feature', {
      en: variant('X', {
        intro: `<p>See <a href="ferry://page/${home}">home</a>.</p>`,
        body: [{ block: 'hero', fields: { heading: 'Hi', cta: { page: home, anchor: 'menu', text: 'Menu' } } }],
      }),
    });
    const b = edit(a, (o) => {
      o.variants.en.fields.intro = `<p>See the cup.</p>\n<ferry-embed guid="${photo}"></ferry-embed>`;
      o.variants.en.fields.body = [{ block: 'hero', fields: { heading: 'Hello', cta: { page: home, anchor: 'top', text: 'Menu' }, image: { asset: photo, alt: 'A cup', width: 800, height: 600 } } }];
    });
    const cs = { ...diffEntries([entry(a)], [entry(b)]), names };
    const out = renderChangesetText(cs, { color: false });
    expect(out).toContain('    variants.en.fields.body[0].fields.heading: "Hi" → "Hello"\n');
    expect(out).toContain('    variants.en.fields.body[0].fields.cta: page home (00000000)#menu "Menu" → page home (00000000)#top "Menu"\n');
    expect(out).toContain('    variants.en.fields.body[0].fields.image: added asset espresso (00000000) alt "A cup" 800×600\n');
    expect(out).toContain('      + embed of asset espresso (00000000)\n      - link to page home (00000000)\n');
    const md = renderChangesetMarkdown(cs).markdown;
    expect(md).toContain('- added: embed of asset espresso (00000000)\n- removed: link to page home (00000000)\n');
    expect(md).toContain('| `fields.body[0].fields.heading` | en | `Hi` | `Hello` |');
  });
});
