import { describe, expect, it } from 'vitest';
import { ARTICLE_FIELDS, SnapshotBuilder } from '../test-support/snapshot-builder.js';
import { validateBuilder } from '../test-support/run.js';

describe('localized labels rule', () => {
  it('accepts labels in the repository languages, and refuses a language it does not have, with the pointer', () => {
    const fields = ARTICLE_FIELDS.map((f, i) => (i === 0 ? { ...f, labels: { 'es-ES': { name: 'Título' }, 'fr-FR': { name: 'Titre' } } } : f));
    const b = new SnapshotBuilder().language('es-ES').contentType('article', { labels: { 'es-ES': { name: 'Artículo', description: 'Un artículo' } }, fields });
    const out = validateBuilder(b);
    expect(out.map((d) => [d.code, d.file, d.pointer, d.message])).toEqual([
      ['FERRY_E_REFERENCE', 'content/content-types/article.yaml', '/fields/0/labels/fr-FR', 'fields.title.labels: language fr-FR does not exist'],
    ]);
  });
});
