import { describe, expect, it } from 'vitest';
import { commonFolder } from './commit-reader.js';

describe('commonFolder', () => {
  it('finds the deepest folder holding every path', () => {
    expect(commonFolder(['content/items/a/x.yaml', 'content/items/a/y.yaml'])).toBe('content/items/a');
    expect(commonFolder(['content/items/a/x.yaml', 'content/items/b/y.yaml'])).toBe('content/items');
    expect(commonFolder(['content/x.yaml', 'other/y'])).toBe('');
    expect(commonFolder(['top.yaml'])).toBe('');
    // A path that is itself a folder name of another path's prefix does not count as a folder.
    expect(commonFolder(['content/items', 'content/items/a.yaml'])).toBe('content');
  });
});
