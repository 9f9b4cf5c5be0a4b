import { describe, expect, it } from 'vitest';
import { gitBlobOid } from './git-oid.js';

// Expected values computed once with `printf … | git hash-object --stdin` (git 2.39).
describe('gitBlobOid', () => {
  it('matches git hash-object for fixed byte strings', () => {
    expect(gitBlobOid(new Uint8Array())).toBe('e69de29bb2d1d6434b8b29ae775ad8c2e48c5391');
    expect(gitBlobOid(new TextEncoder().encode('hello\n'))).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
    expect(gitBlobOid(new TextEncoder().encode('kind: language\ncodeName: en-US\n'))).toBe(
      'd02cb39e51051c70713ad8d073731d5d17a31e16',
    );
    // non-ASCII and binary bytes: the length in the header is the byte length, not characters
    expect(gitBlobOid(new Uint8Array([0x63, 0x61, 0x66, 0xc3, 0xa9, 0x20, 0x00, 0xff]))).toBe(
      '1e3a708cd7fc3214bb18058155853bb44dea0707',
    );
  });
});
