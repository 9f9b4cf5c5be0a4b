import { describe, expect, it } from 'vitest';
import { encodeObjectText } from '../format/encode.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { SnapshotBuilder } from './test-support/snapshot-builder.js';
import { validateBuilder } from './test-support/run.js';
import { validateSnapshot } from './validate-snapshot.js';

describe('validateSnapshot', () => {
  it('finds nothing in a clean snapshot with the defaults', () => {
    expect(validateBuilder(new SnapshotBuilder().item('espresso'))).toEqual([]);
  });

  it('finds nothing in a clean snapshot using every field type, pages and assets', () => {
    expect(validateBuilder(new SnapshotBuilder().fullExample())).toEqual([]);
  });

  it('includes the snapshot diagnostics and sorts everything by file, line, code', () => {
    const b = new SnapshotBuilder().item('b-item', { workspace: 'nope' }).item('a-item', { workspace: 'nope' });
    const snapshot = b.build();
    const reading: Diagnostic = { code: 'FERRY_E_YAML', severity: 'error', message: 'bad YAML', file: 'content/items/article/0-broken.yaml', line: 3 };
    snapshot.diagnostics.push(reading);
    const out = validateSnapshot(snapshot, b.config(), b.options());
    expect(out.map((d) => [d.file, d.code])).toEqual([
      ['content/items/article/0-broken.yaml', 'FERRY_E_YAML'],
      ['content/items/article/a-item.yaml', 'FERRY_E_REFERENCE'],
      ['content/items/article/b-item.yaml', 'FERRY_E_REFERENCE'],
    ]);
  });

  it('gives findings a line and column from the file text, reading only files with findings', () => {
    const b = new SnapshotBuilder().item('good').item('bad', {
      fields: { rating: 'five' },
    });
    const read: string[] = [];
    const texts = new Map(b.allEntries().map((e) => [e.path, encodeObjectText(e.object, e.path)]));
    const out = validateBuilder(b, {}, {
      sourceText: (path) => {
        read.push(path);
        return texts.get(path);
      },
    });
    expect(read).toEqual(['content/items/article/bad.yaml']);
    expect(out).toHaveLength(1);
    const lines = (texts.get('content/items/article/bad.yaml') as string).split('\n');
    const line = lines.findIndex((l) => l.trimStart().startsWith('rating:')) + 1;
    expect(out[0]).toMatchObject({ code: 'FERRY_E_FIELD', line, column: 3, pointer: '/fields/rating' });
  });

  it('restricts item, page and asset rules to `only`, but not duplicates or supporting objects', () => {
    const b = new SnapshotBuilder()
      .item('changed', { workspace: 'nope' })
      .item('unchanged', { workspace: 'nope' })
      .language('es-ES', { fallback: 'xx' });
    const out = validateBuilder(b, {}, { only: new Set([b.guid('contentItem', 'changed')]) });
    expect(out.map((d) => d.file)).toEqual(['content/items/article/changed.yaml', 'content/languages/es-ES.yaml']);
  });

  it('validates 10k items of 10 fields well under a second', () => {
    const b = new SnapshotBuilder();
    for (let i = 0; i < 10_000; i++) {
      b.add({
        kind: 'contentItem',
        guid: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`,
        codeName: `item-${i}`,
        contentType: 'article',
        workspace: 'editorial',
        fields: { sku: `ABC-${i}`, rating: 3, featured: true, publishDate: '2024-01-02', website: 'https://example.com', tags: ['tea'] },
        variants: { 'en-US': { status: 'published', displayName: `Item ${i}`, fields: { title: `Item ${i}`, summary: 'x', body: 'y', price: 1.5 } } },
      });
    }
    const snapshot = b.build();
    const config = b.config();
    const opts = { binaries: new Map() };
    validateSnapshot(snapshot, config, opts); // warm-up: compile
    const out = validateSnapshot(snapshot, config, opts);
    expect(out).toEqual([]);
  });
});
