import { describe, expect, it } from 'vitest';
import { encodeLfsPointer, LFS_POINTER_MAX_BYTES, looksLikeLfsPointer, parseLfsPointer } from './lfs-pointer.js';

const SHA = '4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393';
const text = (s: string) => new TextEncoder().encode(s);

describe('Git LFS pointer files', () => {
  it('round-trips the pointer git lfs writes', () => {
    const bytes = encodeLfsPointer({ sha256: SHA, size: 12345 });
    expect(new TextDecoder().decode(bytes)).toBe(`version https://git-lfs.github.com/spec/v1\noid sha256:${SHA}\nsize 12345\n`);
    expect(parseLfsPointer(bytes)).toEqual({ sha256: SHA, size: 12345 });
  });

  it('accepts extension keys the spec allows between version and oid', () => {
    const bytes = text(`version https://git-lfs.github.com/spec/v1\next-0-foo sha256:${'0'.repeat(64)}\noid sha256:${SHA}\nsize 0\n`);
    expect(parseLfsPointer(bytes)).toEqual({ sha256: SHA, size: 0 });
  });

  it.each([
    ['no final newline', `version https://git-lfs.github.com/spec/v1\noid sha256:${SHA}\nsize 1`],
    ['no size', `version https://git-lfs.github.com/spec/v1\noid sha256:${SHA}\n`],
    ['an upper-case oid', `version https://git-lfs.github.com/spec/v1\noid sha256:${SHA.toUpperCase()}\nsize 1\n`],
    ['another hash', `version https://git-lfs.github.com/spec/v1\noid sha1:${SHA.slice(0, 40)}\nsize 1\n`],
    ['a size with a leading zero', `version https://git-lfs.github.com/spec/v1\noid sha256:${SHA}\nsize 01\n`],
    ['a free text line', `version https://git-lfs.github.com/spec/v1\noid sha256:${SHA}\nsize 1\nHello World\n`],
    ['another version', `version https://hawser.github.com/spec/v1\noid sha256:${SHA}\nsize 1\n`],
  ])('is not a pointer with %s', (_, s) => {
    expect(parseLfsPointer(text(s))).toBeUndefined();
  });

  it('never takes a file over the spec limit for a pointer, whatever it starts with', () => {
    const big = new Uint8Array(LFS_POINTER_MAX_BYTES + 1);
    big.set(encodeLfsPointer({ sha256: SHA, size: 1 }));
    expect(looksLikeLfsPointer(big)).toBe(false);
    expect(parseLfsPointer(big)).toBeUndefined();
    expect(looksLikeLfsPointer(encodeLfsPointer({ sha256: SHA, size: 1 }))).toBe(true);
  });
});
