import { FerryError } from '../errors/index.js';

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses a duration for command-line options: `500ms`, `30s`, `15m`, `24h`, `7d`, or a bare
 * number of seconds. Returns milliseconds.
 *
 * @example parseDuration('24h') // 86400000
 */
export function parseDuration(value: string, option = 'duration'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/i.exec(value);
  if (!m) {
    throw new FerryError('FERRY_E_USAGE', `Invalid ${option} ${JSON.stringify(value)}: use a number with a unit, e.g. 30s, 15m, 24h, 7d.`, {
      data: { option, value },
    });
  }
  return Math.round(Number(m[1]) * UNITS[(m[2] ?? 's').toLowerCase()]);
}
