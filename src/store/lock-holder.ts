import type { LockHolder } from '../model/index.js';

/** How a lock holder reads in messages: who, which process where, since when, doing what. */
export function describeLockHolder(h: LockHolder): string {
  return `${h.actor} (pid ${h.pid} on ${h.host}, since ${h.since}, for ${h.purpose})`;
}

export function parseLockHolder(json: string): LockHolder {
  try {
    const v = JSON.parse(json) as Partial<LockHolder>;
    return {
      pid: typeof v.pid === 'number' ? v.pid : -1,
      host: typeof v.host === 'string' ? v.host : '?',
      actor: typeof v.actor === 'string' ? v.actor : '?',
      since: typeof v.since === 'string' ? v.since : '?',
      purpose: typeof v.purpose === 'string' ? v.purpose : '?',
    };
  } catch {
    return { pid: -1, host: '?', actor: '?', since: '?', purpose: '?' };
  }
}
