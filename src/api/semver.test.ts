import { describe, expect, it } from 'vitest';
import { bumpVersion, compareVersions, formatVersion, latestTag, tagNameFor, versionOfTag, type Version } from './semver.js';

const v = (s: string): Version => versionOfTag(s, '*')!;

describe('release versions', () => {
  it('reads the version after the pattern prefix', () => {
    expect(versionOfTag('v1.2.3', 'v*')).toEqual({ major: 1, minor: 2, patch: 3, prerelease: [] });
    expect(versionOfTag('release/v2.0.0-rc.1', 'release/v*')).toEqual({ major: 2, minor: 0, patch: 0, prerelease: ['rc', '1'] });
    expect(versionOfTag('v-next', 'v*')).toBeUndefined();
  });

  it('orders by semver precedence, pre-releases before their release', () => {
    const sorted = ['1.0.0', '1.0.0-rc.10', '1.0.0-rc.2', '1.0.0-alpha', '0.9.9', '1.10.0', '1.2.0'].map(v).sort(compareVersions).map(formatVersion);
    expect(sorted).toEqual(['0.9.9', '1.0.0-alpha', '1.0.0-rc.2', '1.0.0-rc.10', '1.0.0', '1.2.0', '1.10.0']);
  });

  it('finds the latest tag numerically, not alphabetically', () => {
    expect(latestTag(['v1.9.0', 'v1.10.0', 'v1.2.0', 'v-nightly'], 'v*')?.tag).toBe('v1.10.0');
    expect(latestTag(['nightly'], 'v*')).toBeUndefined();
  });

  it('bumps', () => {
    expect(formatVersion(bumpVersion(v('1.2.3'), 'patch'))).toBe('1.2.4');
    expect(formatVersion(bumpVersion(v('1.2.3'), 'minor'))).toBe('1.3.0');
    expect(formatVersion(bumpVersion(v('1.2.3'), 'major'))).toBe('2.0.0');
    expect(formatVersion(bumpVersion(v('2.0.0-rc.1'), 'major'))).toBe('2.0.0');
    expect(formatVersion(bumpVersion(v('1.3.0-rc.1'), 'patch'))).toBe('1.3.0');
  });

  it('names tags from the pattern', () => {
    expect(tagNameFor(v('1.0.0'), 'v*')).toBe('v1.0.0');
    expect(tagNameFor(v('1.0.0'), 'content-*')).toBe('content-1.0.0');
    expect(tagNameFor(v('1.3.0'), 'v[0-9]*', 'v1.2.0')).toBe('v1.3.0');
    expect(() => tagNameFor(v('1.0.0'), 'v[0-9]*')).toThrow(/Cannot derive a tag name/);
  });
});
