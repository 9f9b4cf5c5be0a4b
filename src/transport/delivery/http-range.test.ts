import { describe, expect, it } from 'vitest';
import { ifNoneMatchHits, ifRangeHolds, parseRange } from './http-range.js';

describe('parseRange', () => {
  it('reads one range, clipped to the body', () => {
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=90-500', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-500', 100)).toEqual({ start: 0, end: 99 });
    expect(parseRange(' Bytes = 5 - 6 ', 100)).toEqual({ start: 5, end: 6 });
  });

  it('says unsatisfiable when the range starts past the end or is empty', () => {
    expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=100-200', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=-0', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=0-', 0)).toBe('unsatisfiable');
    expect(parseRange('bytes=-5', 0)).toBe('unsatisfiable');
  });

  it('ignores absent, malformed, reversed and multiple ranges (the whole body is sent)', () => {
    for (const h of [undefined, '', 'bytes=', 'bytes=-', 'bytes=5-1', 'items=0-1', 'bytes=0-1,3-4', 'bytes=a-b', `bytes=0-${'9'.repeat(30)}`]) {
      expect([h, parseRange(h, 100)]).toEqual([h, undefined]);
    }
  });
});

describe('conditional headers', () => {
  const tag = '"abc"';
  it('If-None-Match matches *, the tag, its weak form, or a list holding it', () => {
    expect(ifNoneMatchHits(undefined, tag)).toBe(false);
    expect(ifNoneMatchHits('*', tag)).toBe(true);
    expect(ifNoneMatchHits('"abc"', tag)).toBe(true);
    expect(ifNoneMatchHits('W/"abc"', tag)).toBe(true);
    expect(ifNoneMatchHits('"x", "abc"', tag)).toBe(true);
    expect(ifNoneMatchHits('"x"', tag)).toBe(false);
    expect(ifNoneMatchHits('abc', tag)).toBe(false);
  });

  it('If-Range holds when absent or the exact current tag', () => {
    expect(ifRangeHolds(undefined, tag)).toBe(true);
    expect(ifRangeHolds('"abc"', tag)).toBe(true);
    expect(ifRangeHolds('W/"abc"', tag)).toBe(false);
    expect(ifRangeHolds('Wed, 21 Oct 2015 07:28:00 GMT', tag)).toBe(false);
  });
});
