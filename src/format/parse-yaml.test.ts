import { describe, expect, it } from 'vitest';
import { lineColumn, parseYaml } from './parse-yaml.js';

const opts = { filename: 'content/items/article/x.yaml', maxFileSize: 1 << 20 };
const enc = (s: string) => new TextEncoder().encode(s);

function failure(input: string | Uint8Array, o = opts) {
  const r = parseYaml(input, o);
  if (r.ok) throw new Error(`expected a failure, got ${JSON.stringify(r.value)}`);
  expect(r.diagnostics).toHaveLength(1);
  return r.diagnostics[0];
}

describe('parseYaml', () => {
  it('reads core-schema YAML: dates stay strings, numbers and booleans are typed', () => {
    const r = parseYaml(enc('a: 2024-05-01\nb: 12\nc: true\nd: "12"\ne: !!str 13\nf: ~\n'), opts);
    expect(r.ok && r.value).toEqual({ a: '2024-05-01', b: 12, c: true, d: '12', e: '13', f: null });
  });

  it('gives line and column (1-based) of a syntax error', () => {
    const d = failure('kind: contentItem\nguid: x\nfields:\n  a: [1, 2\n  b: 3\n');
    expect(d.code).toBe('FERRY_E_YAML');
    expect(d.file).toBe(opts.filename);
    expect(d.message).toMatch(/^YAML syntax error: /);
    expect(d.line).toBe(5);
    expect(d.column).toBe(3); // at `b`, where the missing `,` or `]` should be
  });

  it('refuses a bad indentation with its position', () => {
    const d = failure('kind: page\n  guid: x\n');
    expect(d.code).toBe('FERRY_E_YAML');
    expect([d.line, d.column]).toEqual([2, 7]);
  });

  it('refuses duplicate keys, pointing at the repeated key', () => {
    const d = failure('kind: page\ncodeName: a\ncodeName: b\n');
    expect(d.code).toBe('FERRY_E_YAML');
    expect(d.message).toContain('duplicate key');
    expect(d.line).toBe(3);
  });

  it('refuses the billion laughs quickly, at its first anchor', () => {
    const bomb = [
      'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
      'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
      'h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]',
      'i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]',
      '',
    ].join('\n');
    // How fast it answers is a bench figure (bench/guards.mjs), not a test.
    const d = failure(bomb);
    expect(d.code).toBe('FERRY_E_YAML_LIMIT');
    expect(d.message).toContain('anchors and aliases');
    expect([d.line, d.column]).toEqual([1, 4]);
  });

  it('refuses any anchor, and an alias without one', () => {
    expect(failure('kind: page\nguid: &g abc\n')).toMatchObject({ code: 'FERRY_E_YAML_LIMIT', line: 2, column: 7 });
    expect(failure('kind: page\nfields:\n  a: &x\n    b: 1\n  c: 2\n')).toMatchObject({ code: 'FERRY_E_YAML_LIMIT', line: 3 });
    expect(failure('kind: page\nguid: *g\n')).toMatchObject({ code: 'FERRY_E_YAML_LIMIT', line: 2 });
  });

  it('is not fooled by `&` and `*` inside strings, block scalars and comments', () => {
    const text = [
      'a: "&x *y"',
      "b: '&x'",
      'c: Tom & Jerry *and* friends',
      'd: |',
      '  &anchor *alias',
      '  <<: *merge',
      'e: a&b',
      '# &comment *too',
      'f:',
      '  - "*star"',
      '',
    ].join('\n');
    const r = parseYaml(text, opts);
    expect(r.ok && r.value).toEqual({
      a: '&x *y',
      b: '&x',
      c: 'Tom & Jerry *and* friends',
      d: '&anchor *alias\n<<: *merge\n',
      e: 'a&b',
      f: ['*star'],
    });
  });

  it('treats `<<` as a plain key (no merge keys in the core schema)', () => {
    const r = parseYaml('a:\n  <<: x\n', opts);
    expect(r.ok && r.value).toEqual({ a: { '<<': 'x' } });
  });

  it('refuses a 50 MB file before parsing it, naming the limit', () => {
    const big = new Uint8Array(50 * 1024 * 1024).fill(0x61);
    const d = failure(big);
    expect(d.code).toBe('FERRY_E_YAML_LIMIT');
    expect(d.message).toBe(`file is ${50 * 1024 * 1024} bytes, over the limit of ${1 << 20} bytes (maxFileSize)`);
    const asText = failure('a'.repeat(50 * 1024 * 1024));
    expect(asText.message).toContain(`over the limit of ${1 << 20} bytes (maxFileSize)`);
  });

  it('counts the limit in UTF-8 bytes', () => {
    const small = { ...opts, maxFileSize: 10 };
    expect(parseYaml('a: éééé', small).ok).toBe(false); // 7 characters, 11 bytes
    expect(parseYaml('a: ééé', small).ok).toBe(true); // 9 bytes
    expect(parseYaml(enc('a: ééé'), small).ok).toBe(true);
    expect(parseYaml(enc('a: éééé'), small).ok).toBe(false);
  });

  it('refuses deep nesting without overflowing the stack', () => {
    const deep = `a: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`;
    const d = failure(deep, { ...opts, maxFileSize: 1 << 20 });
    expect(d.code).toBe('FERRY_E_YAML_LIMIT');
    expect(d.message).toContain('nesting');
  });

  it('refuses bytes that are not UTF-8', () => {
    const d = failure(new Uint8Array([0x61, 0x3a, 0x20, 0xff, 0xfe, 0x0a]));
    expect(d.code).toBe('FERRY_E_YAML');
    expect(d.message).toContain('UTF-8');
  });

  it('refuses unknown tags and several documents', () => {
    expect(failure('a: !foo x\n').code).toBe('FERRY_E_YAML');
    expect(failure('a: 1\n---\nb: 2\n').code).toBe('FERRY_E_YAML');
  });

  it('reads an empty file as no value (the schema check then refuses it)', () => {
    const r = parseYaml('', opts);
    expect(r.ok && r.value).toBeUndefined();
  });
});

describe('lineColumn', () => {
  it('maps offsets to 1-based line and column', () => {
    expect(lineColumn('ab\ncd\n', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd\n', 2)).toEqual({ line: 1, column: 3 });
    expect(lineColumn('ab\ncd\n', 3)).toEqual({ line: 2, column: 1 });
    expect(lineColumn('ab\ncd\n', 4)).toEqual({ line: 2, column: 2 });
  });
});
