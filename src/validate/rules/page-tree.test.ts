import { describe, expect, it } from 'vitest';
import { validateBuilder } from '../test-support/run.js';
import { SnapshotBuilder } from '../test-support/snapshot-builder.js';

const page = (codeName: string): string => `content/pages/website/${codeName}.yaml`;

describe('page tree rule', () => {
  it('accepts a tree', () => {
    const b = new SnapshotBuilder().page('home');
    b.page('about', { parent: b.guid('page', 'home') }).page('team', { parent: b.guid('page', 'about') });
    expect(validateBuilder(b)).toEqual([]);
  });

  it('reports a missing parent', () => {
    const missing = '3f0c8a52-5b1e-4c3e-9a57-0d6f7c1e2b10';
    const out = validateBuilder(new SnapshotBuilder().page('about', { parent: missing }));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ code: 'FERRY_E_PAGE_TREE', file: page('about'), pointer: '/parent' });
    expect(out[0].message).toContain(`page ${missing} does not exist`);
  });

  it('reports a parent that is not a page', () => {
    const b = new SnapshotBuilder().item('espresso');
    b.page('about', { parent: b.guid('contentItem', 'espresso') });
    const out = validateBuilder(b);
    expect(out).toHaveLength(1);
    expect(out[0].message).toContain('is content item espresso, not a page');
  });

  it('reports a parent in another channel', () => {
    const b = new SnapshotBuilder().page('home').channel('intranet');
    b.page('about', { channel: 'intranet', parent: b.guid('page', 'home') });
    const out = validateBuilder(b);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ code: 'FERRY_E_PAGE_TREE', file: 'content/pages/intranet/about.yaml' });
    expect(out[0].message).toContain('page home is in channel website, not intranet');
  });

  it('reports a loop, naming it, on each page in it', () => {
    const b = new SnapshotBuilder();
    b.page('a', { parent: b.guid('page', 'c') }).page('b', { parent: b.guid('page', 'a') }).page('c', { parent: b.guid('page', 'b') });
    b.page('leaf', { parent: b.guid('page', 'a') });
    const out = validateBuilder(b);
    expect(out.map((d) => d.file)).toEqual([page('a'), page('b'), page('c')]);
    expect(out.every((d) => d.code === 'FERRY_E_PAGE_TREE')).toBe(true);
    expect(out[0].message).toContain('pages form a loop through their parents: a -> c -> b -> a');
    expect(out[1].message).toContain('b -> a -> c -> b');
  });

  it('reports a page that is its own parent', () => {
    const b = new SnapshotBuilder();
    b.page('a', { parent: b.guid('page', 'a') });
    const out = validateBuilder(b);
    expect(out).toHaveLength(1);
    expect(out[0].message).toContain('a -> a');
  });

  it('reports sibling slugs used twice in one language', () => {
    const b = new SnapshotBuilder().language('es-ES').channel('website', { languages: ['en-US', 'es-ES'] }).page('home');
    const parent = b.guid('page', 'home');
    const variants = (en: string, es: string) => ({
      'en-US': { status: 'published' as const, displayName: en, slug: en, fields: { title: en } },
      'es-ES': { status: 'published' as const, displayName: es, slug: es, fields: { title: es } },
    });
    b.page('about', { parent, variants: variants('about', 'acerca') });
    b.page('about-us', { parent, variants: variants('about', 'nosotros') });
    b.page('other-root', { variants: variants('about', 'acerca') }); // not a sibling: another parent
    const out = validateBuilder(b);
    expect(out.map((d) => [d.file, d.pointer])).toEqual([
      [page('about-us'), '/variants/en-US/slug'],
      [page('about'), '/variants/en-US/slug'],
    ]);
    expect(out[1]).toMatchObject({ code: 'FERRY_E_PAGE_TREE' });
    expect(out[1].message).toContain('slug "about" is also used by sibling page about-us (content/pages/website/about-us.yaml)');
  });

  it('with `only`, checks the changed pages, and reports a slug clash on every page of it', () => {
    // An incremental deploy validates only the changed page; a fresh restore of the same commit
    // reports the clash on both siblings, so the incremental one must too (issue 11).
    const b = new SnapshotBuilder().page('one', { variants: { 'en-US': { status: 'published', displayName: 'x', slug: 'x', fields: { title: 'x' } } } });
    b.page('two', { variants: { 'en-US': { status: 'published', displayName: 'x', slug: 'x', fields: { title: 'x' } } } });
    b.page('three', { variants: { 'en-US': { status: 'published', displayName: 'y', slug: 'y', fields: { title: 'y' } } } });
    const out = validateBuilder(b, {}, { only: new Set([b.guid('page', 'two')]) });
    expect(out.map((d) => d.file).sort()).toEqual([page('one'), page('two')].sort());
    // No changed page in a clash: nothing to report.
    expect(validateBuilder(b, {}, { only: new Set([b.guid('page', 'three')]) })).toEqual([]);
  });
});
