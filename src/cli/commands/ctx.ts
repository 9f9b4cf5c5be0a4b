import { FerryError } from '../../errors/ferry-error.js';
import type { FerryContext } from '../../api/context.js';
import type { CliIo } from '../io.js';

export function contextOf(io: CliIo): FerryContext {
  return { cwd: io.cwd, env: io.env, now: io.now ?? (() => new Date()) };
}

/** A number of seconds given to `option` (e.g. --lock-timeout), in milliseconds; refuses what is not one. */
export function seconds(value: string | undefined, fallback: number, option = '--lock-timeout'): number {
  if (value === undefined) return fallback * 1000;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw new FerryError('FERRY_E_USAGE', `${option} takes a number of seconds (0 or more), not ${JSON.stringify(value)}`, { data: { option, value } });
  }
  return n * 1000;
}

/** A whole number of at least `min` given to `option` (e.g. --limit); refuses what is not one. */
export function wholeNumber(value: string | undefined, fallback: number, option: string, min = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < min) {
    throw new FerryError('FERRY_E_USAGE', `${option} takes a whole number of at least ${min}, not ${JSON.stringify(value)}`, { data: { option, value } });
  }
  return n;
}
