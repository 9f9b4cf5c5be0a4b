import { describe, expect, it } from 'vitest';
import { validateBuilder } from '../test-support/run.js';
import { SnapshotBuilder } from '../test-support/snapshot-builder.js';

const FILE = 'content/assets/images/logo.yaml';
const BINARY = 'content/assets/images/logo.jpg';

describe('assets rule', () => {
  it('accepts an asset whose binary matches', () => {
    expect(validateBuilder(new SnapshotBuilder().asset('logo'))).toEqual([]);
  });

  it('reports a missing binary', () => {
    const out = validateBuilder(new SnapshotBuilder().asset('logo', { binary: null }));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ code: 'FERRY_E_ASSET', file: FILE, pointer: '/fileName', object: { kind: 'asset', codeName: 'logo' } });
    expect(out[0].message).toContain(`binary ${BINARY} is missing`);
  });

  it('reports size and sha256 that differ from the binary, giving both', () => {
    const b = new SnapshotBuilder().asset('logo', { bytes: 'four', binary: { size: 5, sha256: 'f'.repeat(64) } });
    const out = validateBuilder(b);
    expect(out.map((d) => [d.code, d.pointer])).toEqual([
      ['FERRY_E_ASSET', '/sha256'],
      ['FERRY_E_ASSET', '/size'],
    ]);
    expect(out[0].message).toContain(`hashes to ${'f'.repeat(64)}`);
    expect(out[1].message).toBe(`size: the file says 4 bytes but ${BINARY} has 5 bytes`);
  });

  it('reports an asset over assets.maxSize, naming the limit', () => {
    const b = new SnapshotBuilder().asset('logo', { bytes: 'x'.repeat(2048) });
    const out = validateBuilder(b, { assets: { maxSize: 1024, extensions: ['jpg'] } });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ code: 'FERRY_E_ASSET_LIMIT', file: FILE, pointer: '/size' });
    expect(out[0].message).toBe('logo.jpg is 2 KB (2048 bytes), over the assets.maxSize limit of 1 KB');
  });

  it('reports an extension that is not allowed, listing the allowed ones', () => {
    const b = new SnapshotBuilder().asset('tool', { fileName: 'tool.exe', mediaType: 'application/octet-stream' });
    const out = validateBuilder(b);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ code: 'FERRY_E_ASSET_LIMIT', pointer: '/fileName' });
    expect(out[0].message).toContain('extension exe of tool.exe is not allowed (assets.extensions: jpg, jpeg, png, gif, webp, svg, pdf)');
  });

  it('accepts compound extensions and any case', () => {
    const b = new SnapshotBuilder().asset('archive', { fileName: 'archive.TAR.GZ', mediaType: 'application/gzip' });
    expect(validateBuilder(b, { assets: { maxSize: 1024, extensions: ['tar.gz'] } })).toEqual([]);
  });

  it('warns when the media type does not fit the extension', () => {
    const out = validateBuilder(new SnapshotBuilder().asset('logo', { mediaType: 'image/png' }));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ code: 'FERRY_E_ASSET', severity: 'warning', pointer: '/mediaType' });
    expect(out[0].message).toContain('image/png does not fit the extension .jpg (expected image/jpeg)');
  });

  it('looks for the binary under the repository folder', () => {
    const b = new SnapshotBuilder({ folder: '.' }).asset('logo');
    expect([...b.binaries().keys()]).toEqual(['assets/images/logo.jpg']);
    expect(validateBuilder(b)).toEqual([]);
  });
});
