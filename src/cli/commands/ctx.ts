import type { FerryContext } from '../../api/context.js';
import type { CliIo } from '../io.js';

export function contextOf(io: CliIo): FerryContext {
  return { cwd: io.cwd, env: io.env, now: io.now ?? (() => new Date()) };
}

export function seconds(value: string | undefined, fallback: number): number {
  const n = Number(value ?? fallback);
  return Number.isFinite(n) && n >= 0 ? n * 1000 : fallback * 1000;
}
