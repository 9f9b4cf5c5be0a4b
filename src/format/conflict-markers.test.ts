import { describe, expect, it } from 'vitest';
import { decodeFile } from './decode.js';
import { conflictDiagnostics, hasConflictMarkers, pointerAtLine, splitConflicts } from './conflict-markers.js';

const utf8 = new TextEncoder();
const HEADER = '# yaml-language-server: $schema=../../../schemas/content-item.schema.json\n';
const ITEM = (title: string) =>
  `${HEADER}kind: contentItem\nguid: 3f0c8a52-5b1e-4c3e-9a57-0d6f7c1e2b10\ncodeName: coffee-origins\ncontentType: article\nworkspace: editorial\nvariants:\n  en-US:\n    status: draft\n    displayName: Coffee\n    fields:\n      body: |\n        <p>One.</p>\n        <p>Two.</p>\n${title}`;

// Git's own line merge, diff3 style (with the base section) and branch names as labels.
const GIT_STYLE = ITEM(['<<<<<<< HEAD', '      title: Ours', '||||||| base', '      title: Base', '=======', '      title: Theirs', '>>>>>>> feature', ''].join('\n'));

describe('conflict markers', () => {
  it('are found only at the start of a line, both opening and closing', () => {
    expect(hasConflictMarkers(GIT_STYLE)).toBe(true);
    expect(hasConflictMarkers('a: "<<<<<<< not a marker"\n>>>>>>> x\n')).toBe(false);
    expect(hasConflictMarkers('<<<<<<< ours\nno end\n')).toBe(false);
  });

  it('split into hunks and the two resolutions, skipping a diff3 base section', () => {
    const s = splitConflicts(GIT_STYLE);
    expect(s.ours).toBe(ITEM('      title: Ours\n'));
    expect(s.theirs).toBe(ITEM('      title: Theirs\n'));
    expect(s.hunks).toEqual([{ line: 15, ours: ['      title: Ours'], theirs: ['      title: Theirs'], oursLine: 15, theirsLine: 15 }]);
  });

  it('point at the deepest entry holding a line', () => {
    const text = ITEM('      title: Ours\n');
    expect(pointerAtLine(text, 15)).toBe('/variants/en-US/fields/title');
    expect(pointerAtLine(text, 13)).toBe('/variants/en-US/fields/body');
    expect(pointerAtLine(text, 3)).toBe('/guid');
    expect(pointerAtLine('a: [\n', 1)).toBeUndefined();
  });

  it('become FERRY_E_CONFLICT diagnostics with file, line, object, field and both values', () => {
    expect(conflictDiagnostics('content/items/article/coffee-origins.yaml', GIT_STYLE)).toEqual([
      {
        code: 'FERRY_E_CONFLICT',
        severity: 'error',
        file: 'content/items/article/coffee-origins.yaml',
        line: 15,
        column: 1,
        object: { kind: 'contentItem', guid: '3f0c8a52-5b1e-4c3e-9a57-0d6f7c1e2b10', codeName: 'coffee-origins' },
        pointer: '/variants/en-US/fields/title',
        message: 'unresolved merge conflict in variants.en-US.fields.title: ours "Ours", theirs "Theirs"',
        hint: expect.stringContaining('delete the <<<<<<< ======= >>>>>>> lines'),
      },
    ]);
  });

  it('make decodeFile refuse the file as a conflict, not as broken YAML', () => {
    const r = decodeFile({ path: 'content/items/article/coffee-origins.yaml', bytes: utf8.encode(GIT_STYLE) }, { folder: 'content', maxFileSize: 1 << 20 });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.diagnostics.map((d) => d.code)).toEqual(['FERRY_E_CONFLICT']);
    // Markers inside a block literal still parse as YAML; they are found all the same.
    const inBody = ITEM('      title: T\n').replace('        <p>Two.</p>\n', '<<<<<<< ours\n        <p>Two A.</p>\n=======\n        <p>Two B.</p>\n>>>>>>> theirs\n');
    const r2 = decodeFile({ path: 'content/items/article/coffee-origins.yaml', bytes: utf8.encode(inBody) }, { folder: 'content', maxFileSize: 1 << 20 });
    expect(!r2.ok && r2.diagnostics).toMatchObject([{ code: 'FERRY_E_CONFLICT', line: 14, pointer: '/variants/en-US/fields/body', message: 'unresolved merge conflict in variants.en-US.fields.body: ours "<p>Two A.</p>", theirs "<p>Two B.</p>"' }]);
  });
});
