import { describe, expect, it } from 'vitest';
import { formatSize, parseSize } from './size.js';

describe('parseSize', () => {
  it('reads byte counts and 1024-based units, case-insensitive', () => {
    expect(parseSize(0)).toBe(0);
    expect(parseSize(1500)).toBe(1500);
    expect(parseSize('1500')).toBe(1500);
    expect(parseSize('12B')).toBe(12);
    expect(parseSize('1KB')).toBe(1024);
    expect(parseSize('10MB')).toBe(10 * 1024 * 1024);
    expect(parseSize('10 mb')).toBe(10 * 1024 * 1024);
    expect(parseSize('2GB')).toBe(2 * 1024 ** 3);
    expect(parseSize('1.5KB')).toBe(1536);
    expect(parseSize('0.3B')).toBe(0);
  });

  it('refuses anything else with FERRY_E_CONFIG', () => {
    for (const bad of ['', 'MB', '10TB', '-1', '1,5MB', 'ten']) {
      expect(() => parseSize(bad), bad).toThrow(expect.objectContaining({ code: 'FERRY_E_CONFIG' }));
    }
    expect(() => parseSize(-1)).toThrow(/invalid size/);
    expect(() => parseSize(1.5)).toThrow(/invalid size/);
  });
});

describe('formatSize', () => {
  it('uses the largest unit that fits', () => {
    expect(formatSize(900)).toBe('900 B');
    expect(formatSize(1536)).toBe('1.5 KB');
    expect(formatSize(10 * 1024 * 1024)).toBe('10 MB');
    expect(formatSize(3 * 1024 ** 3)).toBe('3 GB');
  });
});
