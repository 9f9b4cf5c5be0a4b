import { describe, expect, it } from 'vitest';
import { parseDuration } from './duration.js';

describe('parseDuration', () => {
  it('reads numbers with units, bare numbers as seconds', () => {
    expect(parseDuration('24h')).toBe(86_400_000);
    expect(parseDuration('7d')).toBe(604_800_000);
    expect(parseDuration('15m')).toBe(900_000);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('30')).toBe(30_000);
  });
  it('refuses anything else with FERRY_E_USAGE naming the option', () => {
    for (const bad of ['', 'h', '-1s', '3 weeks', '1y']) expect(() => parseDuration(bad, '--task-retention')).toThrow(expect.objectContaining({ code: 'FERRY_E_USAGE', message: expect.stringContaining('--task-retention') }));
  });
});
