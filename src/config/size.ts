import { FerryError } from '../errors/ferry-error.js';
import { SIZE_PATTERN } from './config-schema.js';

const SIZE_RE = new RegExp(SIZE_PATTERN);
const UNITS: Readonly<Record<string, number>> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };

/**
 * Parses a size: a whole number of bytes, or a string such as `512`, `512KB`, `10MB`, `1.5GB`
 * (units are 1024-based and case-insensitive). Fractions of a byte are dropped.
 *
 * @example parseSize('10MB') // 10485760
 */
export function parseSize(value: string | number): number {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && value >= 0) return value;
    throw new FerryError('FERRY_E_CONFIG', `invalid size ${value}: expected a whole number of bytes`);
  }
  const text = value.trim();
  if (!SIZE_RE.test(text)) {
    throw new FerryError('FERRY_E_CONFIG', `invalid size "${value}": expected a number of bytes or a string like 512KB, 10MB, 1GB`);
  }
  const unitMatch = /[A-Za-z]+$/.exec(text);
  const unit = unitMatch ? unitMatch[0].toUpperCase() : 'B';
  const amount = Number.parseFloat(text);
  return Math.floor(amount * UNITS[unit]);
}

/** Formats a byte count for messages: `10 MB`, `1.5 KB`, `900 B`. */
export function formatSize(bytes: number): string {
  for (const unit of ['GB', 'MB', 'KB'] as const) {
    const n = bytes / UNITS[unit];
    if (n >= 1) return `${Number.isInteger(n) ? n : n.toFixed(1)} ${unit}`;
  }
  return `${bytes} B`;
}
