import { describe, expect, it } from 'vitest';
import { FerryError } from '../errors/index.js';
import type { StoredObjectInfo } from '../model/index.js';
import { assertSameFormat } from './client/remote-store.js';
import { parseInstanceUrl } from './client/sync-client.js';
import { decodeInfo, encodeInfo, fromWireError, httpStatusOf, toWireError } from './protocol.js';
import { readSyncSecret } from './secret.js';

describe('sync protocol values', () => {
  it('round-trips index entries through tuples, keeping absent fields absent', () => {
    const infos: StoredObjectInfo[] = [
      { key: 'en-US', kind: 'language', codeName: 'en-US', path: 'content/languages/en-US.yaml', sourceHash: 'a'.repeat(40) },
      { key: 'g1', kind: 'contentItem', guid: 'g1', codeName: 'x', contentType: 'article', path: 'p', sourceHash: 'b'.repeat(40), drift: 'changed' },
      { key: 'g2', kind: 'workspace', guid: 'g2', codeName: 'stray', path: '', sourceHash: '', drift: 'added' },
    ];
    const back = infos.map(encodeInfo).map(decodeInfo);
    expect(back).toEqual(infos);
    expect(Object.keys(back[0])).toEqual(['key', 'kind', 'codeName', 'path', 'sourceHash']);
  });

  it('carries errors with their code; unknown codes from a newer instance become FERRY_E_STORE', () => {
    const e = new FerryError('FERRY_E_LOCK', 'locked by bob', { data: { who: 'bob' } });
    const back = fromWireError(toWireError(e), 'Deploy');
    expect(back).toMatchObject({ code: 'FERRY_E_LOCK', message: 'Deploy: locked by bob', data: { who: 'bob', remote: true } });
    expect(back.exitCode).toBe(3);
    expect(fromWireError({ code: 'FERRY_E_FROM_THE_FUTURE', message: 'x' }, 'C')).toMatchObject({ code: 'FERRY_E_STORE', message: 'C: x (FERRY_E_FROM_THE_FUTURE)' });
    expect([httpStatusOf('FERRY_E_AUTH'), httpStatusOf('FERRY_E_TOO_LARGE'), httpStatusOf('FERRY_E_LOCK'), httpStatusOf('FERRY_E_USAGE')]).toEqual([401, 413, 409, 400]);
  });

  it('refuses an instance of another format version, naming both', () => {
    expect(() => assertSameFormat(1, { formatVersion: 1, version: '0.1.0' }, 'https://x')).not.toThrow();
    expect(() => assertSameFormat(1, { formatVersion: 2, version: '0.9.0' }, 'https://x')).toThrow(
      expect.objectContaining({ code: 'FERRY_E_VERSION', message: expect.stringMatching(/Ferry 0\.9\.0 with format version 2; this client has format version 1/) }),
    );
  });

  it('accepts https anywhere and http only to loopback, origin only', () => {
    expect(parseInstanceUrl('https://ferry.example.com:8443').origin).toBe('https://ferry.example.com:8443');
    expect(parseInstanceUrl('http://127.0.0.1:7480/').host).toBe('127.0.0.1:7480');
    expect(parseInstanceUrl('http://[::1]:7480').hostname).toBe('[::1]');
    for (const [url, text] of [
      ['http://ferry.example.com', 'Refusing plain http:// to ferry.example.com'],
      ['ftp://x', 'must start with https://'],
      ['https://user:pw@x', 'must not hold credentials'],
      ['https://x/base', 'origin only'],
      ['not a url', 'not a valid URL'],
    ]) {
      expect(() => parseInstanceUrl(url, 'prod'), url).toThrow(expect.objectContaining({ code: 'FERRY_E_STORE_URL', message: expect.stringContaining(text) }));
    }
  });

  it('reads the shared secret, refusing missing and short ones without printing them', () => {
    expect(readSyncSecret({ S: 'x'.repeat(32) }, 'S')).toBe('x'.repeat(32));
    expect(() => readSyncSecret({}, 'S', 'prod')).toThrow(expect.objectContaining({ code: 'FERRY_E_AUTH', message: expect.stringContaining('of environment prod is missing: set the environment variable S') }));
    let err: unknown;
    try {
      readSyncSecret({ S: 'hunter2-hunter2' }, 'S');
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'FERRY_E_AUTH', message: expect.stringContaining('15 characters, at least 32') });
    expect(JSON.stringify((err as FerryError).toJSON())).not.toContain('hunter2');
  });
});
