/**
 * Every error a user can cause: a clear message with file, line and object, a documented exit
 * code, no stack trace, and every store left untouched.
 */
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ferry, PROJECT_ROOT } from '../support/sample-repo.js';
import { dumpStore } from '../support/store-dump.js';

let pristine: string;

/** A working copy of the sample (no git needed: these run on the working tree), deployed to dev. */
function freshRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ferry-bad-'));
  cpSync(pristine, dir, { recursive: true });
  return dir;
}

beforeAll(async () => {
  pristine = mkdtempSync(join(tmpdir(), 'ferry-bad-pristine-'));
  for (const p of ['content', 'schemas', 'repository.config.yaml']) cpSync(join(PROJECT_ROOT, p), join(pristine, p), { recursive: true });
  const r = await ferry(pristine, ['deploy', '--env', 'dev', '--source', 'working-tree']);
  expect(r.code, r.stderr).toBe(0);
});

afterAll(() => rmSync(pristine, { recursive: true, force: true }));

const ARTICLE = 'content/items/article/brewing-ratio.yaml';
const HOME = 'content/pages/website/home.yaml';
const ABOUT = 'content/pages/website/about.yaml';
const read = (dir: string, p: string) => readFileSync(join(dir, p), 'utf8');
const write = (dir: string, p: string, text: string | Buffer) => writeFileSync(join(dir, p), text);
const replace = (dir: string, p: string, from: RegExp | string, to: string) => {
  const before = read(dir, p);
  const after = before.replace(from, to);
  if (after === before) throw new Error(`test set-up: ${String(from)} not found in ${p}`);
  write(dir, p, after);
};

interface Case {
  name: string;
  mutate: (dir: string) => void;
  /** Expected in the output: code and a file:line[:col] location or message fragment. */
  expect: RegExp[];
  exit?: number;
}

const cases: Case[] = [
  {
    name: 'broken YAML',
    mutate: (d) => replace(d, ARTICLE, /\nworkspace: /, '\nworkspace: [unclosed\n  x: '),
    expect: [/content\/items\/article\/brewing-ratio\.yaml:\d+:\d+: error FERRY_E_YAML/],
  },
  {
    name: 'a wrong type for a field (the field path)',
    mutate: (d) => {
      const file = firstFileWith(d, 'content/items/product', 'price:');
      replace(d, file, /price: [0-9.]+/, 'price: cheap');
    },
    expect: [/\.yaml:\d+:\d+: error FERRY_E_FIELD .*price/],
  },
  {
    name: 'an unknown key',
    mutate: (d) => replace(d, ARTICLE, '\nworkspace: ', '\ncolour: blue\nworkspace: '),
    expect: [/brewing-ratio\.yaml:\d+:\d+: error FERRY_E_SCHEMA .*colour/],
  },
  {
    name: 'a missing required field',
    mutate: (d) => replace(d, ARTICLE, /\n {6}title: .*\n/, '\n'),
    expect: [/brewing-ratio\.yaml:\d+:\d+: error FERRY_E_FIELD .*title/],
  },
  {
    name: 'a reference to a guid that does not exist',
    mutate: (d) => replace(d, ARTICLE, /(related:\n\s+- )[0-9a-f-]{36}/, '$1aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee'),
    expect: [/brewing-ratio\.yaml:\d+:\d+: error FERRY_E_REFERENCE .*aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee/],
  },
  {
    name: 'a link field whose internal target does not exist (file, line, object)',
    mutate: (d) => replace(d, HOME, /(primaryLink:\n    anchor: upcoming\n    page: )[0-9a-f-]{36}/, '$1aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee'),
    expect: [/home\.yaml:\d+:\d+: error FERRY_E_REFERENCE fields\.primaryLink: links to page aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee, which does not exist \[page home\]/],
  },
  {
    name: 'a block of an unknown type (file, line, object)',
    mutate: (d) => replace(d, HOME, '        - block: quote\n', '        - block: banner\n'),
    expect: [/home\.yaml:\d+:\d+: error FERRY_E_FIELD variants\.en-US\.fields\.sections\[1\]\.block: unknown block type "banner": this field allows hero, quote, spotlight \[page home\]/],
  },
  {
    name: 'a block missing a required sub-field (file, line, object)',
    mutate: (d) => replace(d, HOME, /\n {12}heading: Fresh from Pier 3\n/, '\n'),
    expect: [/home\.yaml:\d+:\d+: error FERRY_E_FIELD variants\.en-US\.fields\.sections\[0\]\.fields\.heading: block hero: required field is missing \[page home\]/],
  },
  {
    name: 'an object field missing a required sub-field (file, line, object)',
    mutate: (d) => replace(d, HOME, /\n {8}metaTitle: .*\n/, '\n'),
    expect: [/home\.yaml:\d+:\d+: error FERRY_E_FIELD variants\.en-US\.fields\.seo\.metaTitle: required field is missing \[page home\]/],
  },
  {
    name: 'rich text that embeds a guid that does not exist (file, line, object)',
    mutate: (d) => replace(d, ABOUT, /<ferry-embed guid="[0-9a-f-]{36}">/, '<ferry-embed guid="aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee">'),
    expect: [/about\.yaml:\d+:\d+: error FERRY_E_REFERENCE variants\.en-US\.fields\.intro: embeds content item or asset aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee, which does not exist \[page about\]/],
  },
  {
    name: 'a media value with a focal point outside the image (file, line, object)',
    mutate: (d) => replace(d, HOME, /focalPoint:\n      x: 0.5\n      y: 0.4/, 'focalPoint:\n      x: 1.5\n      y: 0.4'),
    expect: [/home\.yaml:\d+:\d+: error FERRY_E_FIELD fields\.banner\.focalPoint\.x: must be at most 1 \(got 1\.5\) \[page home\]/],
  },
  {
    name: 'two files with one guid (both named)',
    mutate: (d) => {
      const text = read(d, ARTICLE).replace(/codeName: brewing-ratio/, 'codeName: brewing-ratio-copy');
      write(d, 'content/items/article/brewing-ratio-copy.yaml', text);
    },
    expect: [/FERRY_E_DUPLICATE/, /brewing-ratio-copy\.yaml/, /brewing-ratio\.yaml/],
  },
  {
    name: 'a code name with upper case',
    mutate: (d) => replace(d, ARTICLE, 'codeName: brewing-ratio', 'codeName: Brewing-Ratio'),
    expect: [/brewing-ratio\.yaml:\d+:\d+: error FERRY_E_SCHEMA .*codeName/],
  },
  {
    name: 'a code name with `..` or `/`',
    mutate: (d) => replace(d, ARTICLE, 'codeName: brewing-ratio', 'codeName: ../../etc/passwd'),
    expect: [/brewing-ratio\.yaml:\d+:\d+: error FERRY_E_SCHEMA .*codeName/],
  },
  {
    name: 'an asset whose bytes do not match its sha256',
    mutate: (d) => {
      const yaml = firstFileWith(d, 'content/assets', 'sha256:');
      const fileName = /fileName: (.+)/.exec(read(d, yaml))![1].trim();
      const bin = join(yaml.slice(0, yaml.lastIndexOf('/')), fileName);
      const bytes = readFileSync(join(d, bin));
      bytes[bytes.length - 1] ^= 0xff;
      write(d, bin, bytes);
    },
    expect: [/error FERRY_E_ASSET .*sha256/],
  },
  {
    name: 'an asset over the size limit',
    mutate: (d) => replace(d, 'repository.config.yaml', 'maxSize: 5MB', 'maxSize: 100B'),
    expect: [/error FERRY_E_ASSET_LIMIT .*100 ?B/],
  },
  {
    name: 'a YAML alias bomb (refused quickly)',
    mutate: (d) => {
      const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
      for (let i = 1; i < 10; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)}]`);
      write(d, ARTICLE, lines.join('\n') + '\n');
    },
    expect: [/brewing-ratio\.yaml:1:\d+: error FERRY_E_YAML_LIMIT/],
  },
  {
    name: 'a 50 MB YAML file (the limit named)',
    mutate: (d) => write(d, ARTICLE, `kind: contentItem\nnote: "${'x'.repeat(50 * 1024 * 1024)}"\n`),
    expect: [/brewing-ratio\.yaml: error FERRY_E_YAML_LIMIT .*(1 ?MB|1048576)/],
  },
  {
    name: 'a config with a cycle in environments',
    mutate: (d) => replace(d, 'repository.config.yaml', /  - name: dev\n/, '  - name: dev\n    from: prod\n'),
    expect: [/FERRY_E_CHAIN/, /dev/, /prod/],
  },
  {
    name: 'a missing ${VAR}',
    mutate: (d) => replace(d, 'repository.config.yaml', '${FERRY_STORE_STAGING:-sqlite:.ferry/staging.db}', '${FERRY_TEST_SURELY_UNSET_VAR}'),
    expect: [/FERRY_E_CONFIG_ENV/, /FERRY_TEST_SURELY_UNSET_VAR/],
  },
];

function firstFileWith(dir: string, folder: string, needle: string): string {
  const walk = (rel: string): string[] =>
    readdirSync(join(dir, rel), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(`${rel}/${e.name}`) : [`${rel}/${e.name}`]));
  const hit = walk(folder)
    .filter((p) => p.endsWith('.yaml'))
    .sort()
    .find((p) => read(dir, p).includes(needle));
  if (!hit) throw new Error(`no file under ${folder} contains ${needle}`);
  return hit;
}

describe('refuses and writes nothing when …', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const dir = freshRepo();
      try {
        const before = dumpStore(join(dir, '.ferry', 'dev.db'));
        c.mutate(dir);
        const validate = await ferry(dir, ['validate']);
        const output = validate.stdout + validate.stderr;
        expect(validate.code, output).toBe(c.exit ?? 1);
        for (const re of c.expect) expect(output).toMatch(re);
        expect(output).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);

        const deploy = await ferry(dir, ['deploy', '--env', 'dev', '--source', 'working-tree']);
        expect(deploy.code, deploy.stdout + deploy.stderr).toBe(c.exit ?? 1);
        expect(deploy.stderr).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
        expect(dumpStore(join(dir, '.ferry', 'dev.db'))).toBe(before);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});
