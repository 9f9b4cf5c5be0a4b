import { isIP } from 'node:net';

/**
 * Whether a host name or address stays on this machine: `localhost`, 127.0.0.0/8, ::1 (with or
 * without brackets) and IPv4-mapped loopback. Plain HTTP is allowed only to these.
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) {
    if (h === '::1' || /^0*:(0*:){0,6}0*1$/.test(h) || h === '0:0:0:0:0:0:0:1') return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
    return mapped !== null && mapped[1].startsWith('127.');
  }
  return false;
}
