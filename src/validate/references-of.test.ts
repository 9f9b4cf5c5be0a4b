import { describe, expect, it } from 'vitest';
import type { FerryObject } from '../model/objects.js';
import { findReferrers, referencesOf, snapshotLookup } from './references-of.js';
import { SnapshotBuilder } from './test-support/snapshot-builder.js';

describe('referencesOf', () => {
  const b = new SnapshotBuilder().fullExample();
  const snapshot = b.build();
  const lookup = snapshotLookup(snapshot);
  const obj = (kind: FerryObject['kind'], codeName: string): FerryObject => b.entry(kind, codeName).object;

  it('lists an item’s supporting objects, languages and field references by snapshot key', () => {
    const refs = referencesOf(obj('contentItem', 'espresso'), lookup);
    expect(refs.map((r) => [r.key, r.field])).toEqual([
      [b.guid('contentType', 'article'), 'contentType'],
      [b.guid('workspace', 'editorial'), 'workspace'],
      ['language:en-US', 'variants.en-US'],
      ['language:es-ES', 'variants.es-ES'],
      [b.guid('contentItem', 'latte'), 'fields.related'],
      [b.guid('page', 'about'), 'fields.relatedPages'],
      [b.guid('asset', 'espresso'), 'fields.heroImage'],
    ]);
    expect(refs[4]).toMatchObject({ kind: 'contentItem', pointer: '/fields/related/0' });
  });

  it('lists a page’s channel and parent', () => {
    const keys = referencesOf(obj('page', 'about'), lookup).map((r) => r.key);
    expect(keys).toContain(b.guid('channel', 'website'));
    expect(keys).toContain(b.guid('page', 'home'));
  });

  it('lists supporting references of languages, channels, content types and assets', () => {
    expect(referencesOf(obj('language', 'es-ES'), lookup).map((r) => r.key)).toEqual(['language:en-US']);
    expect(referencesOf(obj('channel', 'website'), lookup).map((r) => r.key)).toEqual(['language:en-US', 'language:es-ES', 'language:en-US']);
    expect(referencesOf(obj('contentType', 'article'), lookup).map((r) => r.key)).toEqual([b.guid('contentType', 'article')]);
    expect(referencesOf(obj('asset', 'espresso'), lookup).map((r) => r.key)).toEqual([b.guid('assetFolder', 'images'), 'language:en-US']);
  });

  it('keys code names it cannot resolve as <kind>:<codeName>, and finds guid lists without a content type', () => {
    const refs = referencesOf(obj('contentItem', 'espresso'));
    expect(refs[0]).toEqual({ key: 'contentType:article', kind: 'contentType', codeName: 'article', field: 'contentType', pointer: '/contentType' });
    // Without the content type every list of guids counts (kind unknown).
    expect(refs.filter((r) => r.field?.startsWith('fields.')).map((r) => r.key)).toEqual([
      b.guid('contentItem', 'latte'),
      b.guid('page', 'about'),
      b.guid('asset', 'espresso'),
    ]);
    expect(refs.find((r) => r.field === 'fields.related')?.kind).toBeUndefined();
  });
});

describe('findReferrers', () => {
  const b = new SnapshotBuilder().fullExample();
  const snapshot = b.build();

  it('finds objects that reference any of the keys', () => {
    expect(findReferrers(snapshot, new Set([b.guid('contentItem', 'latte')]))).toEqual(new Set([b.guid('contentItem', 'espresso')]));
    expect(findReferrers(snapshot, new Set([b.guid('page', 'home')]))).toEqual(new Set([b.guid('page', 'about')]));
    expect(findReferrers(snapshot, new Set())).toEqual(new Set());
  });

  it('finds every user of a supporting object', () => {
    const users = findReferrers(snapshot, new Set([b.guid('contentType', 'article')]));
    expect(users).toEqual(new Set([b.guid('contentItem', 'espresso'), b.guid('contentItem', 'latte'), b.guid('contentType', 'article')]));
    expect(findReferrers(snapshot, new Set(['language:es-ES']))).toEqual(new Set([b.guid('contentItem', 'espresso'), b.guid('channel', 'website')]));
  });

  it('matches references to a deleted object known only by code name', () => {
    const without = new SnapshotBuilder().fullExample().remove('contentType', 'article').build();
    const users = findReferrers(without, new Set(['contentType:article']));
    expect(users).toEqual(new Set([b.guid('contentItem', 'espresso'), b.guid('contentItem', 'latte')]));
  });
});
