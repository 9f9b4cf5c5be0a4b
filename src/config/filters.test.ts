import { describe, expect, it } from 'vitest';
import type { RepositoryConfig } from '../model/config.js';
import { DEFAULT_CONFIG } from './defaults.js';
import { isIncluded, matchesCodeNameFilter } from './filters.js';

describe('matchesCodeNameFilter', () => {
  it('lets everything through without a filter or with an empty include', () => {
    expect(matchesCodeNameFilter(undefined, 'anything')).toBe(true);
    expect(matchesCodeNameFilter({ include: [], exclude: [] }, 'anything')).toBe(true);
  });

  it('matches * and ? wildcards against the whole code name', () => {
    const f = { include: ['news-*', 'faq-?'], exclude: [] };
    expect(matchesCodeNameFilter(f, 'news-2024')).toBe(true);
    expect(matchesCodeNameFilter(f, 'news-')).toBe(true);
    expect(matchesCodeNameFilter(f, 'old-news-1')).toBe(false);
    expect(matchesCodeNameFilter(f, 'faq-1')).toBe(true);
    expect(matchesCodeNameFilter(f, 'faq-12')).toBe(false);
  });

  it('treats other characters literally', () => {
    const f = { include: ['a.b'], exclude: [] };
    expect(matchesCodeNameFilter(f, 'a.b')).toBe(true);
    expect(matchesCodeNameFilter(f, 'axb')).toBe(false);
  });

  it('lets exclude win over include', () => {
    const f = { include: ['*'], exclude: ['test-*'] };
    expect(matchesCodeNameFilter(f, 'coffee')).toBe(true);
    expect(matchesCodeNameFilter(f, 'test-coffee')).toBe(false);
    expect(matchesCodeNameFilter({ include: [], exclude: ['x'] }, 'x')).toBe(false);
  });
});

describe('isIncluded', () => {
  const config: RepositoryConfig = {
    ...DEFAULT_CONFIG,
    kinds: ['language', 'contentType', 'contentItem'],
    filters: { contentItem: { include: [], exclude: ['draft-*'] } },
  };

  it('requires the kind to be included and the filter to match', () => {
    expect(isIncluded(config, 'contentItem', 'coffee')).toBe(true);
    expect(isIncluded(config, 'contentItem', 'draft-coffee')).toBe(false);
    expect(isIncluded(config, 'page', 'home')).toBe(false);
    expect(isIncluded(config, 'contentType', 'draft-type')).toBe(true);
  });
});
