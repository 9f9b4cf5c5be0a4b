import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../model/diagnostic.js';
import { validateBuilder } from '../test-support/run.js';
import { SnapshotBuilder } from '../test-support/snapshot-builder.js';

function single(out: Diagnostic[], file: string, pointer: string): Diagnostic {
  expect(out).toHaveLength(1);
  expect(out[0]).toMatchObject({ code: 'FERRY_E_REFERENCE', severity: 'error', file, pointer });
  return out[0];
}

const ITEM = 'content/items/article/espresso.yaml';
const PAGE = 'content/pages/website/home.yaml';

describe('references rule', () => {
  describe('items', () => {
    it('reports a missing content type', () => {
      const d = single(validateBuilder(new SnapshotBuilder().item('espresso', { contentType: 'recipe' })), 'content/items/recipe/espresso.yaml', '/contentType');
      expect(d.message).toContain('content type recipe does not exist');
    });

    it('reports a content type whose usage is for pages', () => {
      const b = new SnapshotBuilder().contentType('landing', { usage: 'page' }).item('espresso', { contentType: 'landing', variants: {} });
      const d = single(validateBuilder(b), 'content/items/landing/espresso.yaml', '/contentType');
      expect(d.message).toContain('landing is a page content type; content items need usage reusable, headless or email');
    });

    it('reports a missing workspace', () => {
      const d = single(validateBuilder(new SnapshotBuilder().item('espresso', { workspace: 'marketing' })), ITEM, '/workspace');
      expect(d.message).toContain('workspace marketing does not exist');
    });

    it('reports a variant in a missing language', () => {
      const b = new SnapshotBuilder().item('espresso', {
        variants: { 'fr-FR': { status: 'draft', displayName: 'Espresso', fields: { title: 'Espresso' } } },
      });
      const d = single(validateBuilder(b), ITEM, '/variants/fr-FR');
      expect(d.message).toContain('language fr-FR does not exist');
    });

    it('reports a referenced guid that does not exist, naming the field', () => {
      const missing = '3f0c8a52-5b1e-4c3e-9a57-0d6f7c1e2b10';
      const d = single(validateBuilder(new SnapshotBuilder().item('espresso', { fields: { related: [missing] } })), ITEM, '/fields/related/0');
      expect(d.message).toBe(`fields.related: references content item ${missing}, which does not exist`);
    });

    it('reports a reference to the wrong kind of object', () => {
      const b = new SnapshotBuilder().asset('logo');
      b.item('espresso', { fields: { related: [b.guid('asset', 'logo')], relatedPages: [b.guid('asset', 'logo')] } });
      const out = validateBuilder(b);
      expect(out.map((d) => d.pointer)).toEqual(['/fields/related/0', '/fields/relatedPages/0']);
      expect(out[0].message).toContain('is asset logo, not a content item');
      expect(out[1].message).toContain('is asset logo, not a page');
    });

    it('reports a referenced item of a type the field does not allow', () => {
      const b = new SnapshotBuilder().contentType('news', { fields: [] }).item('headline', { contentType: 'news', variants: {} });
      b.item('espresso', { fields: { related: [b.guid('contentItem', 'headline')] } });
      const d = single(validateBuilder(b), ITEM, '/fields/related/0');
      expect(d.message).toContain('content item headline is of type news; this field allows article');
    });

    it('checks references inside variants too', () => {
      const b = new SnapshotBuilder().contentType('article', {
        fields: [{ guid: '3f0c8a52-5b1e-4c3e-9a57-0d6f7c1e2b10', name: 'images', type: 'assets', required: false, localized: true }],
      });
      const missing = '3f0c8a52-5b1e-4c3e-9a57-0d6f7c1e2b99';
      b.item('espresso', { variants: { 'en-US': { status: 'draft', displayName: 'E', fields: { images: [missing] } } } });
      const d = single(validateBuilder(b), ITEM, '/variants/en-US/fields/images/0');
      expect(d.message).toContain(`variants.en-US.fields.images: references asset ${missing}, which does not exist`);
    });

    it('does not check references into kinds the repository does not hold', () => {
      const b = new SnapshotBuilder().item('espresso', { workspace: 'marketing', fields: { heroImage: ['3f0c8a52-5b1e-4c3e-9a57-0d6f7c1e2b10'] } });
      expect(validateBuilder(b, { kinds: ['language', 'contentType', 'contentItem'] })).toEqual([]);
    });
  });

  describe('pages', () => {
    it('reports a page content type that is not for pages', () => {
      const b = new SnapshotBuilder().page('home', { contentType: 'article' });
      b.channel('website');
      const d = single(validateBuilder(b), PAGE, '/contentType');
      expect(d.message).toContain('article is a reusable content type; pages need a content type with usage page');
    });

    it('reports a missing channel', () => {
      const b = new SnapshotBuilder().page('home').page('away', { channel: 'intranet' });
      const d = single(validateBuilder(b), 'content/pages/intranet/away.yaml', '/channel');
      expect(d.message).toContain('channel intranet does not exist');
    });

    it('reports a channel that is not a website channel', () => {
      const b = new SnapshotBuilder().page('home', { channel: 'app' });
      b.channel('app', { type: 'headless', domains: undefined });
      b.channel('website');
      const d = single(validateBuilder(b), 'content/pages/app/home.yaml', '/channel');
      expect(d.message).toContain('app is a headless channel; pages belong to website channels');
    });

    it("reports a variant in a language the channel does not use", () => {
      const b = new SnapshotBuilder().language('es-ES').page('home', {
        variants: { 'es-ES': { status: 'draft', displayName: 'Inicio', slug: 'inicio', fields: { title: 'Inicio' } } },
      });
      const d = single(validateBuilder(b), PAGE, '/variants/es-ES');
      expect(d.message).toContain('channel website does not use language es-ES (its languages: en-US)');
    });
  });

  describe('supporting objects', () => {
    it('reports channel languages and a primary language that do not exist or do not belong', () => {
      const b = new SnapshotBuilder().channel('website', { languages: ['en-US', 'de-DE'], primaryLanguage: 'en-US' }).channel('shop', { primaryLanguage: 'es-ES' });
      const out = validateBuilder(b);
      expect(out.map((d) => [d.file, d.pointer])).toEqual([
        ['content/channels/shop.yaml', '/primaryLanguage'],
        ['content/channels/website.yaml', '/languages/1'],
      ]);
      expect(out[0].message).toContain('language es-ES does not exist');
      expect(out[1].message).toContain('language de-DE does not exist');
      const notAmong = validateBuilder(new SnapshotBuilder().language('es-ES').channel('website', { primaryLanguage: 'es-ES' }));
      expect(notAmong[0].message).toContain("primaryLanguage es-ES is not one of the channel's languages (en-US)");
    });

    it('reports a missing fallback language', () => {
      const d = single(validateBuilder(new SnapshotBuilder().language('es-ES', { fallback: 'es' })), 'content/languages/es-ES.yaml', '/fallback');
      expect(d.message).toContain('fallback language es does not exist');
    });

    it('reports fallback loops on every language in the loop', () => {
      const b = new SnapshotBuilder().language('de-DE', { fallback: 'fr-FR' }).language('fr-FR', { fallback: 'de-DE' }).language('it-IT', { fallback: 'de-DE' });
      const out = validateBuilder(b);
      expect(out.map((d) => d.file)).toEqual(['content/languages/de-DE.yaml', 'content/languages/fr-FR.yaml']);
      expect(out[0].message).toContain('language fallbacks form a loop: de-DE -> fr-FR -> de-DE');
      expect(out[1].message).toContain('fr-FR -> de-DE -> fr-FR');
      const self = validateBuilder(new SnapshotBuilder().language('de-DE', { fallback: 'de-DE' }));
      expect(self[0].message).toContain('de-DE -> de-DE');
    });

    it('reports a missing asset folder and metadata language', () => {
      const b = new SnapshotBuilder().asset('logo', { metadata: { 'de-DE': { alt: 'Logo' } } });
      b.remove('assetFolder', 'images');
      const out = validateBuilder(b);
      expect(out.map((d) => [d.code, d.pointer])).toEqual([
        ['FERRY_E_REFERENCE', '/folder'],
        ['FERRY_E_REFERENCE', '/metadata/de-DE'],
      ]);
      expect(out[0].message).toContain('asset folder images does not exist');
    });
  });
});
