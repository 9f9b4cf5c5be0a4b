import { describe, expect, it } from 'vitest';
import { createJsonLogger, redactQuery } from './log.js';

describe('JSON log lines', () => {
  it('writes one JSON object per line, time, level and msg first', () => {
    const lines: string[] = [];
    createJsonLogger((l) => lines.push(l), () => Date.UTC(2024, 4, 1))('info', 'request', { status: 200 });
    expect(lines).toEqual(['{"time":"2024-05-01T00:00:00.000Z","level":"info","msg":"request","status":200}\n']);
  });
  it('masks credential-like query values', () => {
    expect(redactQuery('access_token=abc&locale=en-US&api_key=k&x')).toBe('access_token=***&locale=en-US&api_key=***&x');
    expect(redactQuery('')).toBe('');
  });
});
