import { describe, expect, it } from 'vitest';
import { locatePointer, pointerTokens } from './positions.js';

const TEXT = [
  '# yaml-language-server: $schema=../../../schemas/content-item.schema.json', // 1
  'kind: contentItem', // 2
  'guid: 3f0c8a52-5b1e-4c3e-9a57-0d6f7c1e2b10', // 3
  'fields:', // 4
  '  heroImage:', // 5
  '    - 9b2d4a8e-1c7f-4e55-8d0a-2f3b6c9e1a44', // 6
  '    - second', // 7
  '  a/b: slash', // 8
  'variants:', // 9
  '  en-US:', // 10
  '    status: live', // 11
  '    displayName:', // 12
  '    fields:', // 13
  '      body: |', // 14
  '        <p>x</p>', // 15
  '',
].join('\n');

describe('locatePointer', () => {
  it('finds the value node of an existing pointer', () => {
    expect(locatePointer(TEXT, '/kind')).toEqual({ line: 2, column: 7 });
    expect(locatePointer(TEXT, '/variants/en-US/status')).toEqual({ line: 11, column: 13 });
    expect(locatePointer(TEXT, '/variants/en-US/fields/body')).toEqual({ line: 14, column: 13 });
    expect(locatePointer(TEXT, '/fields/heroImage/1')).toEqual({ line: 7, column: 7 });
    expect(locatePointer(TEXT, '/fields/a~1b')).toEqual({ line: 8, column: 8 });
  });

  it('points at the key when asked, and when the value is empty', () => {
    expect(locatePointer(TEXT, '/variants/en-US/status', { key: true })).toEqual({ line: 11, column: 5 });
    expect(locatePointer(TEXT, '/variants/en-US/displayName')).toEqual({ line: 12, column: 5 });
  });

  it('falls back to the nearest existing ancestor key for a missing target', () => {
    expect(locatePointer(TEXT, '/variants/en-US/slug')).toEqual({ line: 10, column: 3 });
    expect(locatePointer(TEXT, '/variants/en-US/fields/title/deeper')).toEqual({ line: 13, column: 5 });
    expect(locatePointer(TEXT, '/fields/heroImage/9')).toEqual({ line: 5, column: 3 });
  });

  it('points at the start of the content for the root or a missing top-level key', () => {
    expect(locatePointer(TEXT, '')).toEqual({ line: 2, column: 1 });
    expect(locatePointer(TEXT, '/codeName')).toEqual({ line: 2, column: 1 });
  });

  it('returns undefined for an empty document', () => {
    expect(locatePointer('', '/kind')).toBeUndefined();
  });
});

describe('pointerTokens', () => {
  it('unescapes ~1 and ~0', () => {
    expect(pointerTokens('')).toEqual([]);
    expect(pointerTokens('/a~1b/c~0d/~01')).toEqual(['a/b', 'c~d', '~1']);
  });
});
