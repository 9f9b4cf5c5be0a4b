import { describe, expect, it } from 'vitest';
import { maskSecrets } from './mask.js';

describe('maskSecrets', () => {
  it('replaces every occurrence of every secret', () => {
    expect(maskSecrets('a=s3cret b=s3cret c=tok', ['s3cret', 'tok'])).toBe('a=*** b=*** c=***');
  });

  it('masks the longer of two overlapping secrets whole', () => {
    expect(maskSecrets('key=abcdef', ['abc', 'abcdef'])).toBe('key=***');
  });

  it('ignores empty secrets and leaves other text alone', () => {
    expect(maskSecrets('nothing here', ['', 'absent'])).toBe('nothing here');
  });
});
