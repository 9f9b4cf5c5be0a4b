import { describe, expect, it } from 'vitest';
import type { FieldDefinition } from '../../model/objects.js';
import { validateBuilder } from '../test-support/run.js';
import { SnapshotBuilder, testGuid } from '../test-support/snapshot-builder.js';

function f(name: string, type: FieldDefinition['type'], extra: Partial<FieldDefinition> = {}): FieldDefinition {
  return { guid: testGuid('field', `news.${name}`), name, type, required: false, localized: false, ...extra };
}

function withNews(fields: FieldDefinition[]): SnapshotBuilder {
  return new SnapshotBuilder().contentType('news', { fields });
}

const FILE = 'content/content-types/news.yaml';

describe('content types rule', () => {
  it('accepts valid definitions', () => {
    expect(validateBuilder(withNews([f('title', 'text', { validation: { minLength: 1, maxLength: 5, pattern: '^[a-z]+$' } })]))).toEqual([]);
  });

  it('reports a field name used twice', () => {
    const out = validateBuilder(withNews([f('title', 'text'), { ...f('title', 'longText'), guid: testGuid('field', 'x') }]));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ code: 'FERRY_E_SCHEMA', file: FILE, pointer: '/fields/1/name' });
    expect(out[0].message).toContain('field name title is used twice (fields[0] and fields[1])');
  });

  it('reports a field guid used twice in the type', () => {
    const out = validateBuilder(withNews([f('title', 'text'), { ...f('subtitle', 'text'), guid: testGuid('field', 'news.title') }]));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ code: 'FERRY_E_SCHEMA', file: FILE, pointer: '/fields/1/guid' });
    expect(out[0].message).toContain('is used by fields title and subtitle');
  });

  it('reports format on a field that is not richText', () => {
    const out = validateBuilder(withNews([f('title', 'text', { format: 'markdown' })]));
    expect(out[0]).toMatchObject({ code: 'FERRY_E_SCHEMA', file: FILE, pointer: '/fields/0/format' });
    expect(out[0].message).toContain('format applies only to richText fields, not text');
  });

  it('reports validation keys that do not fit the data type', () => {
    const out = validateBuilder(withNews([f('title', 'text', { validation: { min: 1 } }), f('flag', 'boolean', { validation: { maxLength: 2 } })]));
    expect(out.map((d) => d.pointer)).toEqual(['/fields/0/validation/min', '/fields/1/validation/maxLength']);
    expect(out[0].message).toContain('validation.min does not apply to a text field (text fields take minLength, maxLength, pattern)');
    expect(out[1].message).toContain('boolean fields take no validation');
  });

  it('reports a minimum above its maximum', () => {
    const out = validateBuilder(withNews([f('n', 'integer', { validation: { min: 5, max: 1 } })]));
    expect(out[0]).toMatchObject({ code: 'FERRY_E_SCHEMA', pointer: '/fields/0/validation/min' });
    expect(out[0].message).toContain('validation.min (5) is greater than validation.max (1)');
  });

  it('reports a pattern that does not compile', () => {
    const out = validateBuilder(withNews([f('code', 'text', { validation: { pattern: '([a-z' } })]));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ code: 'FERRY_E_SCHEMA', file: FILE, pointer: '/fields/0/validation/pattern' });
    expect(out[0].message).toContain('"([a-z" is not a valid regular expression');
  });

  it('reports allowedTypes naming a missing content type', () => {
    const out = validateBuilder(withNews([f('related', 'contentItems', { validation: { allowedTypes: ['article', 'recipe'] } })]));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ code: 'FERRY_E_REFERENCE', file: FILE, pointer: '/fields/0/validation/allowedTypes/1' });
    expect(out[0].message).toContain('names content type recipe, which does not exist');
  });
});
