// Release versions in tag names: semver parse, compare, bump, and the tag name a pattern gives.
import { FerryError } from '../errors/index.js';
import { compareCodePoints } from '../model/index.js';

export type Bump = 'patch' | 'minor' | 'major';

export interface Version {
  major: number;
  minor: number;
  patch: number;
  /** Pre-release identifiers (`rc.1` → ['rc', '1']); empty for a release. */
  prerelease: string[];
}

const VERSION_RE = /(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]+)?/;
const GLOB_CHARS = /[*?[\]{}()!+@]/;

/** The literal start of a glob (`v*` → `v`, `release/v*` → `release/v`). */
export function patternPrefix(pattern: string): string {
  const i = pattern.search(GLOB_CHARS);
  return i < 0 ? pattern : pattern.slice(0, i);
}

/** The version inside a tag name (after the pattern's literal prefix), or undefined. */
export function versionOfTag(tag: string, pattern: string): Version | undefined {
  const prefix = patternPrefix(pattern);
  const rest = tag.startsWith(prefix) ? tag.slice(prefix.length) : tag;
  const m = VERSION_RE.exec(rest);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), prerelease: m[4] ? m[4].split('.') : [] };
}

export function formatVersion(v: Version): string {
  return `${v.major}.${v.minor}.${v.patch}${v.prerelease.length ? `-${v.prerelease.join('.')}` : ''}`;
}

/** Semver precedence: numbers, then a pre-release sorts before its release, identifiers compared one by one. */
export function compareVersions(a: Version, b: Version): number {
  const d = a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  if (d) return d;
  if (!a.prerelease.length || !b.prerelease.length) return b.prerelease.length - a.prerelease.length;
  for (let i = 0; i < Math.max(a.prerelease.length, b.prerelease.length); i++) {
    const x = a.prerelease[i];
    const y = b.prerelease[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) {
      if (Number(x) !== Number(y)) return Number(x) - Number(y);
    } else if (nx !== ny) return nx ? -1 : 1;
    else if (x !== y) return compareCodePoints(x, y);
  }
  return 0;
}

/** The next version; a pre-release bumps to its own release when that is what the bump asks. */
export function bumpVersion(v: Version, bump: Bump): Version {
  const pre = v.prerelease.length > 0;
  switch (bump) {
    case 'major':
      return pre && v.minor === 0 && v.patch === 0 ? { ...v, prerelease: [] } : { major: v.major + 1, minor: 0, patch: 0, prerelease: [] };
    case 'minor':
      return pre && v.patch === 0 ? { ...v, prerelease: [] } : { major: v.major, minor: v.minor + 1, patch: 0, prerelease: [] };
    case 'patch':
      return pre ? { ...v, prerelease: [] } : { ...v, patch: v.patch + 1, prerelease: [] };
  }
}

/** The tag with the highest version (tags without a version are not releases in that order). */
export function latestTag(tags: readonly string[], pattern: string): { tag: string; version: Version } | undefined {
  let best: { tag: string; version: Version } | undefined;
  for (const tag of [...tags].sort(compareCodePoints)) {
    const version = versionOfTag(tag, pattern);
    if (version && (!best || compareVersions(version, best.version) > 0)) best = { tag, version };
  }
  return best;
}

/**
 * The tag name of a version: the pattern's prefix plus the version when the pattern is `prefix*`
 * (`v*` → `v1.2.0`), else the previous tag with its version replaced.
 */
export function tagNameFor(version: Version, pattern: string, previousTag?: string): string {
  if (/^[^*?[\]{}()!+@]*\*$/.test(pattern)) return `${patternPrefix(pattern)}${formatVersion(version)}`;
  if (previousTag) {
    const prefix = patternPrefix(pattern);
    const rest = previousTag.startsWith(prefix) ? previousTag.slice(prefix.length) : previousTag;
    const replaced = rest.replace(VERSION_RE, formatVersion(version));
    if (replaced !== rest) return (previousTag.startsWith(prefix) ? prefix : '') + replaced;
  }
  throw new FerryError('FERRY_E_USAGE', `Cannot derive a tag name from releaseTagPattern \`${pattern}\``, {
    hint: 'Name the tag with `ferry release --tag NAME`.',
  });
}
