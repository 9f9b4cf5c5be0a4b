export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Writes one structured log line. */
export type Logger = (level: LogLevel, msg: string, fields?: Record<string, unknown>) => void;

/** Query parameters whose values are never logged (delivery tokens, keys, secrets). */
const SENSITIVE_PARAM = /token|key|secret|auth|password|signature/i;

/**
 * A JSON-lines logger: one object per line with `time`, `level` and `msg` first. It never sees
 * request headers or the shared secret; query values that look like credentials are masked.
 */
export function createJsonLogger(write: (line: string) => void, clock: () => number = Date.now): Logger {
  return (level, msg, fields = {}) => {
    write(`${JSON.stringify({ time: new Date(clock()).toISOString(), level, msg, ...fields })}\n`);
  };
}

/** The query string with credential-like values replaced by `***`. */
export function redactQuery(query: string): string {
  if (!query) return '';
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq === -1 ? pair : pair.slice(0, eq);
      return eq !== -1 && SENSITIVE_PARAM.test(decodeSafe(name)) ? `${name}=***` : pair;
    })
    .join('&');
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
