import { describe, expect, it } from 'vitest';
import { validateBuilder } from '../test-support/run.js';
import { SnapshotBuilder } from '../test-support/snapshot-builder.js';

describe('default language rule', () => {
  it('accepts exactly one default', () => {
    expect(validateBuilder(new SnapshotBuilder().language('es-ES'))).toEqual([]);
  });

  it('reports no default language', () => {
    const out = validateBuilder(new SnapshotBuilder().language('en-US', { isDefault: false }).language('es-ES'));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ code: 'FERRY_E_DEFAULT_LANGUAGE', file: 'content/languages/en-US.yaml', pointer: '/isDefault' });
    expect(out[0].message).toContain('no language is the default (languages: en-US, es-ES)');
  });

  it('reports every one of several defaults', () => {
    const out = validateBuilder(new SnapshotBuilder().language('es-ES', { isDefault: true }));
    expect(out.map((d) => d.file)).toEqual(['content/languages/en-US.yaml', 'content/languages/es-ES.yaml']);
    expect(out[0]).toMatchObject({ code: 'FERRY_E_DEFAULT_LANGUAGE', object: { kind: 'language', codeName: 'en-US' } });
    expect(out[0].message).toContain('2 languages are the default (en-US, es-ES)');
  });
});
