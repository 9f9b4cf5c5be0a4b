import type { CodeNameFilter, RepositoryConfig } from '../model/config.js';
import type { ObjectKind } from '../model/objects.js';

// Patterns come from the config: few, and reused for every object, so compile each once.
const compiled = new Map<string, RegExp>();

/** `*` matches any run of characters, `?` exactly one; everything else is literal. */
export function wildcardToRegExp(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (!re) {
    const body = pattern
      .split('')
      .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
      .join('');
    re = new RegExp(`^${body}$`, 's');
    compiled.set(pattern, re);
  }
  return re;
}

/**
 * Whether a code name passes a filter: an `exclude` match always loses; otherwise it passes when
 * `include` is empty or one of its patterns matches. No filter lets everything through.
 *
 * @example matchesCodeNameFilter({ include: ['*'], exclude: ['test-*'] }, 'test-a') // false
 */
export function matchesCodeNameFilter(filter: CodeNameFilter | undefined, codeName: string): boolean {
  if (!filter) return true;
  if (filter.exclude.some((p) => wildcardToRegExp(p).test(codeName))) return false;
  return filter.include.length === 0 || filter.include.some((p) => wildcardToRegExp(p).test(codeName));
}

/** Whether the repository holds this object: its kind is included and its code name passes the kind's filter. */
export function isIncluded(config: RepositoryConfig, kind: ObjectKind, codeName: string): boolean {
  return config.kinds.includes(kind) && matchesCodeNameFilter(config.filters[kind], codeName);
}
