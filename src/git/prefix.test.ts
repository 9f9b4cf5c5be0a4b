import { describe, expect, it } from 'vitest';
import { isUnderPrefix, normalizePrefix } from './prefix.js';
import { parseDiffTree, parseLsTree } from './plumbing-git.js';

describe('normalizePrefix', () => {
  it.each([
    ['', ''],
    ['.', ''],
    ['./', ''],
    ['./content/', 'content'],
    ['content//', 'content'],
    ['a/b', 'a/b'],
  ])('%j → %j', (input, out) => expect(normalizePrefix(input)).toBe(out));
});

describe('isUnderPrefix', () => {
  it('matches on folder boundaries only', () => {
    expect(isUnderPrefix('content/a.yaml', 'content')).toBe(true);
    expect(isUnderPrefix('content', 'content')).toBe(true);
    expect(isUnderPrefix('content2/a.yaml', 'content')).toBe(false);
    expect(isUnderPrefix('content.txt', 'content')).toBe(false);
    expect(isUnderPrefix('anything', '')).toBe(true);
  });
});

describe('git -z output parsers', () => {
  const oid1 = 'a'.repeat(40);
  const oid2 = 'b'.repeat(40);
  const zero = '0'.repeat(40);

  it('parse ls-tree records, skipping submodules and paths outside the prefix', () => {
    const out = [
      `100644 blob ${oid1}\tcontent/b\tc.yaml`,
      `160000 commit ${oid2}\tcontent/sub`,
      `120000 blob ${oid2}\toutside/a link`,
      `100644 blob ${oid2}\tcontent2/x`,
      '',
    ].join('\0');
    expect(parseLsTree(out, 'content')).toEqual([{ path: 'content/b\tc.yaml', oid: oid1 }]);
  });

  it('refuse a symlink (mode 120000) below the prefix, naming it', () => {
    const out = [`100644 blob ${oid1}\tcontent/a.yaml`, `120000 blob ${oid2}\tcontent/items/x/secret.yaml`, ''].join('\0');
    expect(() => parseLsTree(out, 'content')).toThrow(expect.objectContaining({ code: 'FERRY_E_SYMLINK', loc: { file: 'content/items/x/secret.yaml' } }));
    const diff = [`:000000 120000 ${zero} ${oid2} A`, 'content/link.yaml', ''].join('\0');
    expect(() => parseDiffTree(diff, 'content')).toThrow(expect.objectContaining({ code: 'FERRY_E_SYMLINK', loc: { file: 'content/link.yaml' } }));
  });

  it('parse diff-tree records into A/M/D/T and drop submodule-only changes', () => {
    const out = [
      `:000000 100644 ${zero} ${oid1} A`, 'content/new.yaml',
      `:100644 100644 ${oid1} ${oid2} M`, 'content/m.yaml',
      `:100644 000000 ${oid1} ${zero} D`, 'content/gone.yaml',
      `:120000 100644 ${oid1} ${oid2} T`, 'content/t',
      `:160000 160000 ${oid1} ${oid2} M`, 'content/sub',
      `:160000 100644 ${oid1} ${oid2} T`, 'content/was-sub',
      '',
    ].join('\0');
    expect(parseDiffTree(out, 'content')).toEqual([
      { status: 'D', path: 'content/gone.yaml', oldOid: oid1 },
      { status: 'M', path: 'content/m.yaml', oldOid: oid1, newOid: oid2 },
      { status: 'A', path: 'content/new.yaml', newOid: oid1 },
      { status: 'T', path: 'content/t', oldOid: oid1, newOid: oid2 },
      { status: 'A', path: 'content/was-sub', newOid: oid2 },
    ]);
  });
});
