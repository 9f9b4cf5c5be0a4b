#!/usr/bin/env node
// Synthetic Ferry repository generator for benchmarks. Plain Node ESM, no build step.
//
//   node bench/generate.mjs --items 10000 --out DIR [--seed N]
//        [--change-percent 1 --add-percent 0.1 --delete-percent 0.1] [--pack]
//
// Writes a git repository (real `git` CLI) with repository.config.yaml and content/ holding the
// sample's languages, workspaces, channels and content types, 14 generated types, and N content
// items in canonical YAML (docs/file-format.md), written with string templates for speed. With any
// of the change options, a second commit edits, adds and deletes items. Prints a JSON summary on
// stdout; progress and timings go to stderr. Same seed, same bytes, same commit ids.

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

// ------------------------------------------------------------------------------------ options

const USAGE = `usage: node bench/generate.mjs --items N --out DIR [--seed N]
         [--change-percent P] [--add-percent P] [--delete-percent P] [--pack]`;

function readOptions(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        items: { type: 'string' },
        out: { type: 'string' },
        seed: { type: 'string', default: '1' },
        'change-percent': { type: 'string' },
        'add-percent': { type: 'string' },
        'delete-percent': { type: 'string' },
        pack: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    });
  } catch (err) {
    fail(err.message);
  }
  const { values } = parsed;
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    process.exit(0);
  }
  const num = (name, value, { integer = false, min = 0, max = Infinity } = {}) => {
    const n = Number(value);
    if (value === undefined || value === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
      fail(`--${name} must be ${integer ? 'an integer' : 'a number'} between ${min} and ${max}, got ${JSON.stringify(value)}`);
    }
    return n;
  };
  if (values.items === undefined || values.out === undefined) fail('--items and --out are required');
  const items = num('items', values.items, { integer: true, min: 1, max: 10_000_000 });
  const pct = (name) => (values[name] === undefined ? 0 : num(name, values[name], { max: 100 }));
  const changePercent = pct('change-percent');
  const addPercent = pct('add-percent');
  const deletePercent = pct('delete-percent');
  return {
    items,
    out: resolve(values.out),
    seed: num('seed', values.seed, { integer: true, min: 0, max: 2 ** 32 - 1 }),
    changePercent,
    addPercent,
    deletePercent,
    secondCommit: [values['change-percent'], values['add-percent'], values['delete-percent']].some((v) => v !== undefined),
    pack: values.pack,
  };
}

function fail(message) {
  process.stderr.write(`generate: ${message}\n${USAGE}\n`);
  process.exit(2);
}

// ------------------------------------------------------------------------------------ random

/** sfc32: a small, fast, seedable generator; `next()` gives a uint32. */
function createRng(seed) {
  // splitmix32 spreads a small seed over the four state words.
  let s = seed >>> 0;
  const mix = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = mix();
  let b = mix();
  let c = mix();
  let d = mix();
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) next();
  const rng = {
    next,
    /** 0 <= n < max */
    int: (max) => Math.floor((next() / 4294967296) * max),
    range: (min, max) => min + Math.floor((next() / 4294967296) * (max - min + 1)),
    chance: (p) => next() / 4294967296 < p,
    pick: (list) => list[Math.floor((next() / 4294967296) * list.length)],
    guid: () => {
      const h = [next(), next(), next(), next()].map((n) => n.toString(16).padStart(8, '0')).join('');
      const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
    },
  };
  return rng;
}

// ------------------------------------------------------------------------------------ words

const EN = (
  'coffee espresso roast bean cup crema aroma harbour ferry morning brew grinder kettle filter milk foam ' +
  'latte cappuccino cortado flat white origin farm harvest cherry washed natural honey process altitude ' +
  'acidity body sweetness finish chocolate caramel citrus berry jasmine bergamot hazelnut almond cocoa ' +
  'roaster barista café pier quay island tide wave evening dawn batch drum crack cooling sample cupping ' +
  'spoon slurp notes balance clarity texture syrup ratio dose yield water temperature bloom pour swirl ' +
  'paper cone dripper press moka siphon cold steady gentle bright round juicy clean smooth rich deep ' +
  'sweet floral fruity nutty spicy warm fresh seasonal small careful patient simple honest daily ' +
  'recipe guide story journey friendship cooperative smallholder valley slope volcano soil rain shade ' +
  'tree picker drying bed parchment green lot bag shelf counter window table chair queue regular ' +
  'neighbour visitor weekend holiday market delivery order gift subscription tasting workshop class'
).split(' ');

const ES = (
  'café espresso tueste grano taza crema aroma puerto ferri mañana molinillo hervidor filtro leche ' +
  'espuma origen finca cosecha cereza lavado natural miel proceso altitud acidez cuerpo dulzor final ' +
  'chocolate caramelo cítrico frutos jazmín bergamota avellana almendra cacao tostador barista muelle ' +
  'isla marea ola tarde amanecer lote tambor enfriado muestra cata cuchara notas equilibrio claridad ' +
  'textura jarabe proporción dosis agua temperatura vertido papel cono prensa frío suave brillante ' +
  'redondo jugoso limpio rico profundo dulce floral afrutado especiado cálido fresco pequeño sencillo ' +
  'receta guía historia viaje amistad cooperativa valle ladera volcán suelo lluvia sombra árbol ' +
  'secadero pergamino verde bolsa estante mostrador ventana mesa silla vecino visitante mercado pedido'
).split(' ');

const FIRST_NAMES = 'Ana Ben Carla David Elena Farid Grace Hugo Ines Jonas Keiko Luis Mara Nico Olga Pablo Rosa Sam Tara Uma Victor Wen Yara Zoe'.split(' ');
const LAST_NAMES = 'Alvarez Brooks Castro Dubois Evans Fischer Garcia Haddad Ito Jensen Kowalski Lopez Moreau Nakamura Okafor Perez Quinn Rossi Silva Tanaka Usman Varga Weber Young'.split(' ');
const COUNTRIES = 'Ethiopia Kenya Colombia Guatemala Brazil Indonesia Peru Honduras Rwanda Burundi Mexico Panama'.split(' ');
const PLACES = ['The roastery, Pier 3', 'Ferry Coffee café, Harbour Walk 12', 'The terrace, Pier 3', 'The training room, Pier 3'];
const TAGS = 'brewing espresso filter milk origins sourcing beans roastery people events guides water decaf travel'.split(' ');
const ROASTS = ['light', 'medium', 'dark'];
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

const cap = (s) => s[0].toUpperCase() + s.slice(1);
function words(rng, vocab, n) {
  let s = rng.pick(vocab);
  for (let i = 1; i < n; i++) s += ' ' + rng.pick(vocab);
  return s;
}
const sentence = (rng, vocab) => cap(words(rng, vocab, rng.range(6, 14))) + '.';
function paragraph(rng, vocab, sentences) {
  let s = sentence(rng, vocab);
  for (let i = 1; i < sentences; i++) s += ' ' + sentence(rng, vocab);
  return s;
}
/** `s` cut to at most `max` characters at a word boundary. */
function fit(s, max) {
  if (s.length <= max) return s;
  const cut = s.lastIndexOf(' ', max);
  return s.slice(0, cut > 0 ? cut : max);
}
const title = (rng, vocab, max) => fit(cap(words(rng, vocab, rng.range(3, 7))), max);
const pad = (n, w) => String(n).padStart(w, '0');
const date = (rng) => `${rng.range(2019, 2025)}-${pad(rng.range(1, 12), 2)}-${pad(rng.range(1, 28), 2)}`;
const dateTime = (rng) => `${date(rng)}T${pad(rng.range(6, 20), 2)}:${rng.pick(['00', '15', '30', '45'])}:00Z`;

/** Multi-line HTML: a few paragraphs, sometimes a heading, one per line. */
function htmlBody(rng, vocab, paragraphs) {
  const lines = [];
  for (let i = 0; i < paragraphs; i++) {
    if (i > 0 && rng.chance(0.25)) lines.push(`<h2>${title(rng, vocab, 60)}</h2>`);
    lines.push(`<p>${paragraph(rng, vocab, rng.range(1, 3))}</p>`);
  }
  return lines.join('\n') + '\n';
}
const markdownBody = (rng, vocab) => `${paragraph(rng, vocab, 2)}\n\n- ${sentence(rng, vocab)}\n- ${sentence(rng, vocab)}\n`;

// ------------------------------------------------------------------------------------ YAML

const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
// Generated strings use letters, digits and a little punctuation; anything else is double-quoted.
const PLAIN_RE = /^[A-Za-z0-9À-ÿ][A-Za-z0-9À-ÿ .,:'()/@+_-]*$/;
const RESERVED_RE = /^(true|false|null|True|False|TRUE|FALSE|Null|NULL|~|[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|0x[0-9a-fA-F]+|0o[0-7]+|[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN))$/;
/** Dates and date-times stay plain: Ferry reads YAML with the core schema, which has no timestamps. */
const scalar = (s) =>
  PLAIN_RE.test(s) && !RESERVED_RE.test(s) && !s.includes(': ') && !s.endsWith(':') && !s.endsWith(' ') ? s : JSON.stringify(s);

function block(s, indent) {
  // Generated multi-line values end with exactly one newline: the `|` (clip) style.
  const sp = ' '.repeat(indent);
  return '|\n' + s.slice(0, -1).split('\n').map((l) => (l === '' ? '' : sp + l)).join('\n') + '\n';
}

/** `key: value` lines for a field-value map, keys in code-point order. */
function emitFields(fields, indent) {
  const sp = ' '.repeat(indent);
  let out = '';
  for (const key of Object.keys(fields).sort(cmp)) out += sp + key + ':' + emitValue(fields[key], indent);
  return out;
}

function emitValue(v, indent) {
  if (typeof v === 'string') return v.includes('\n') ? ' ' + block(v, indent + 2) : ' ' + scalar(v) + '\n';
  if (typeof v === 'number' || typeof v === 'boolean') return ' ' + String(v) + '\n';
  if (Array.isArray(v)) {
    if (v.length === 0) return ' []\n';
    const sp = ' '.repeat(indent + 2);
    let out = '\n';
    for (const el of v) {
      // A map in a list (a block): its first key on the dash's line, the others under it.
      if (el !== null && typeof el === 'object') out += sp + '- ' + emitFields(el, indent + 4).slice(indent + 4);
      else out += sp + '- ' + (typeof el === 'string' ? scalar(el) : String(el)) + '\n';
    }
    return out;
  }
  return '\n' + emitFields(v, indent + 2); // json map
}

const header = (schema) => `# yaml-language-server: $schema=../../../schemas/${schema}.schema.json\n`;

function emitItem(it, fields, variants) {
  let out =
    header('content-item') +
    `kind: contentItem\nguid: ${it.guid}\ncodeName: ${it.codeName}\ncontentType: ${it.type.codeName}\nworkspace: ${it.type.workspace}\n`;
  if (Object.keys(fields).length > 0) out += 'fields:\n' + emitFields(fields, 2);
  out += 'variants:\n';
  for (const [lang, v] of variants) {
    out += `  ${lang}:\n    status: ${v.status}\n    displayName: ${scalar(v.displayName)}\n`;
    if (Object.keys(v.fields).length > 0) out += '    fields:\n' + emitFields(v.fields, 6);
  }
  return out;
}

// ------------------------------------------------------------------------------------ types

/**
 * Item types: the sample's six item types plus t01…t14. `gen(rng, ctx)` returns the item's
 * non-localized fields; `genLocal(rng, vocab, ctx)` one variant's localized fields; `refs` says
 * which earlier items it may point at. Localized fields are always present so a change can edit one.
 */
const SAMPLE_TYPES = [
  {
    codeName: 'article',
    workspace: 'editorial',
    refs: { author: { pool: 'author', max: 1, min: 1 }, heroImage: { pool: 'asset', max: 1 }, related: { pool: 'article', max: 3 } },
    gen: (rng) => ({ publishDate: date(rng), tags: uniq(rng, TAGS, rng.range(1, 4)) }),
    genLocal: (rng, vocab) => ({
      body: htmlBody(rng, vocab, rng.range(3, 5)),
      summary: fit(paragraph(rng, vocab, 2), 400),
      title: title(rng, vocab, 120),
    }),
  },
  {
    codeName: 'author',
    workspace: 'editorial',
    refs: {},
    gen: (rng, ctx) => {
      const first = rng.pick(FIRST_NAMES);
      const last = rng.pick(LAST_NAMES);
      return {
        email: `${first}.${last}.${ctx.index}@ferry-coffee.example`.toLowerCase(),
        name: `${first} ${last}`,
        website: `https://www.ferry-coffee.example/team/${ctx.codeName}`,
      };
    },
    genLocal: (rng, vocab) => ({ bio: markdownBody(rng, vocab) }),
  },
  {
    codeName: 'product',
    workspace: 'marketing',
    refs: { images: { pool: 'asset', max: 3, min: 1 }, origin: { pool: 'origin', max: 2, min: 1 } },
    gen: (rng) => ({
      available: rng.chance(0.85),
      price: rng.range(800, 3500) / 100,
      roastLevel: [rng.pick(ROASTS)],
      sku: `${UPPER[rng.int(26)]}${UPPER[rng.int(26)]}${UPPER[rng.int(26)]}-${pad(rng.int(10000), 4)}`,
      specs: { grind: rng.pick(['whole bean', 'fine', 'medium', 'coarse']), process: rng.pick(['washed', 'natural', 'honey']), weightGrams: rng.pick([250, 340, 1000]) },
      stock: rng.int(500),
    }),
    genLocal: (rng, vocab) => ({ name: title(rng, vocab, 80), tastingNotes: fit(sentence(rng, vocab), 300) }),
  },
  {
    codeName: 'origin',
    workspace: 'marketing',
    refs: {},
    gen: (rng) => ({ altitudeMeters: rng.range(800, 2300), country: rng.pick(COUNTRIES), name: title(rng, EN, 80) }),
    genLocal: (rng, vocab) => ({ description: htmlBody(rng, vocab, rng.range(2, 4)) }),
  },
  {
    codeName: 'event',
    workspace: 'marketing',
    refs: {},
    gen: (rng, ctx) => {
      const start = dateTime(rng);
      return {
        contactEmail: 'events@ferry-coffee.example',
        endsAt: start.slice(0, 11) + '21:00:00Z',
        location: rng.pick(PLACES),
        signupUrl: `https://www.ferry-coffee.example/events/${ctx.codeName}`,
        startsAt: start,
      };
    },
    genLocal: (rng, vocab) => ({ title: title(rng, vocab, 100) }),
  },
  {
    codeName: 'promo',
    workspace: 'marketing',
    refs: { linkedPages: { pool: 'page', max: 2 } },
    gen: (rng) => ({ validUntil: date(rng) }),
    genLocal: (rng, vocab) => ({ message: fit(sentence(rng, vocab), 140) }),
  },
];

function uniq(rng, list, n) {
  const out = [];
  while (out.length < n) {
    const x = rng.pick(list);
    if (!out.includes(x)) out.push(x);
  }
  return out;
}

const GENERATED_TYPE_COUNT = 14;
const GENERATED_TYPES = Array.from({ length: GENERATED_TYPE_COUNT }, (_, i) => ({
  codeName: `t${pad(i + 1, 2)}`,
  workspace: i % 2 === 0 ? 'editorial' : 'marketing',
  refs: { related: { pool: '*', max: 3 } },
  gen: (rng, ctx) => ({
    active: rng.chance(0.9),
    code: `${UPPER[rng.int(26)]}${UPPER[rng.int(26)]}-${pad(ctx.index % 1_000_000, 6)}`,
    link: `https://www.ferry-coffee.example/${ctx.type.codeName}/${ctx.codeName}`,
    publishedOn: date(rng),
    rank: rng.int(1_000_000),
    score: rng.range(0, 10000) / 100,
    tags: uniq(rng, TAGS, rng.range(1, 3)),
    updatedAt: dateTime(rng),
  }),
  genLocal: (rng, vocab) => ({
    body: htmlBody(rng, vocab, rng.range(2, 4)),
    summary: fit(sentence(rng, vocab), 400),
    title: title(rng, vocab, 120),
  }),
}));

const ITEM_TYPES = [...SAMPLE_TYPES, ...GENERATED_TYPES];
/** Item types a landing page may feature (its `featured` field's allowedTypes). */
const FEATURABLE = new Set(['article', 'event', 'product']);

/** Canonical content-type files of t01…t14 (fixed guids: the same in every generated repository). */
function generatedTypeFiles() {
  const rng = createRng(0x7e57_0001);
  const files = {};
  const field = (name, label, type, required, localized, validation = []) => {
    let s = `  - guid: ${rng.guid()}\n    name: ${name}\n    label: ${label}\n    type: ${type}\n    required: ${required}\n    localized: ${localized}\n`;
    if (validation.length) s += '    validation:\n' + validation.map((l) => `      ${l}\n`).join('');
    return s;
  };
  for (const t of GENERATED_TYPES) {
    files[`content-types/${t.codeName}.yaml`] =
      '# yaml-language-server: $schema=../../schemas/content-type.schema.json\n' +
      `kind: contentType\nguid: ${rng.guid()}\ncodeName: ${t.codeName}\ndisplayName: Generated type ${t.codeName.slice(1)}\nusage: reusable\n` +
      'description: A synthetic content type for benchmarks.\nfields:\n' +
      field('title', 'Title', 'text', true, true, ['minLength: 1', 'maxLength: 120']) +
      field('summary', 'Summary', 'longText', false, true, ['maxLength: 400']) +
      field('body', 'Body', 'richText', true, true) +
      field('code', 'Code', 'text', true, false, ['pattern: ^[A-Z]{2}-[0-9]{6}$']) +
      field('rank', 'Rank', 'integer', false, false, ['min: 0', 'max: 1000000']) +
      field('score', 'Score', 'decimal', false, false, ['min: 0', 'max: 100']) +
      field('active', 'Active', 'boolean', false, false) +
      field('publishedOn', 'Published on', 'date', false, false) +
      field('updatedAt', 'Updated at', 'dateTime', false, false) +
      field('link', 'Link', 'url', false, false) +
      field('tags', 'Tags', 'taxonomy', false, false, ['maxItems: 5']) +
      field('related', 'Related items', 'contentItems', false, false, ['maxItems: 3']);
  }
  return files;
}

// ------------------------------------------------------------------------------------ items

/**
 * An item's spec is small (guid, code name, type, seed, references); its text is regenerated from
 * the seed, so a change re-renders the item with one field of one variant replaced.
 */
function planItem(index, rng, pools) {
  const typeIndex = rng.int(ITEM_TYPES.length);
  const type = ITEM_TYPES[typeIndex];
  const codeName = `${rng.pick(EN)}-${rng.pick(EN)}-${pad(index, 6)}`.normalize('NFD').replace(/[^a-z0-9-]/g, '');
  const refs = {};
  for (const [field, r] of Object.entries(type.refs)) {
    const pool = r.pool === '*' ? pools.all : pools.byType.get(r.pool);
    const deleted = pools.deleted?.[refKind(r)];
    if (pool.length === 0) continue;
    const n = rng.range(r.min ?? 0, r.max);
    if (n === 0) continue;
    const picked = [];
    for (let k = 0; k < n * 2 && picked.length < n; k++) {
      const candidate = pool[rng.int(pool.length)];
      if ((candidate !== index || refKind(r) !== 'item') && !picked.includes(candidate) && !deleted?.has(candidate)) picked.push(candidate);
    }
    if (picked.length > 0) refs[field] = picked;
  }
  const spanish = rng.chance(0.4);
  const r = rng.next() / 4294967296;
  const enStatus = r < 0.9 ? 'published' : r < 0.98 ? 'draft' : 'unpublished';
  const r2 = rng.next() / 4294967296;
  const esStatus = spanish ? (r2 < 0.7 ? 'published' : r2 < 0.95 ? 'draft' : 'unpublished') : null;
  return { index, typeIndex, codeName, guid: rng.guid(), seed: rng.next(), refs, enStatus, esStatus };
}

function itemPath(spec) {
  return `content/items/${ITEM_TYPES[spec.typeIndex].codeName}/${spec.codeName}.yaml`;
}

/** Localized field names of a type, in code-point order (a change picks one). */
const localizedNames = new Map(ITEM_TYPES.map((t) => [t.codeName, Object.keys(t.genLocal(createRng(1), EN)).sort(cmp)]));

/** Edits one line of a multi-line value, or replaces a one-line value. */
function editValue(value, rng, vocab) {
  if (!value.includes('\n')) {
    // Same shape: as many words, a full stop if it had one, no longer than it could be.
    const stop = value.endsWith('.') ? '.' : '';
    let next = cap(words(rng, vocab, value.split(' ').length)) + stop;
    if (next === value) next = rng.pick(vocab) + ' ' + next;
    return fit(next.slice(0, next.length - stop.length), Math.max(value.length, 40) - stop.length) + stop;
  }
  const lines = value.slice(0, -1).split('\n');
  const candidates = lines.map((l, i) => [l, i]).filter(([l]) => l.startsWith('<p>') || (l !== '' && !l.startsWith('<')));
  const [line, at] = candidates[rng.int(candidates.length)];
  const text = sentence(rng, vocab);
  lines[at] = line.startsWith('<p>') ? `<p>${text}</p>` : line.startsWith('- ') ? `- ${text}` : text;
  return lines.join('\n') + '\n';
}

/** What a reference field of an item type points at: `item` (an item's index), `asset` or `page`. */
const refKind = (r) => (r.pool === 'asset' || r.pool === 'page' ? r.pool : 'item');

/** `specs` holds the specs of each kind, by index: `{ item, asset, page }`. */
function renderItem(spec, specs, edit) {
  const type = ITEM_TYPES[spec.typeIndex];
  const rng = createRng(spec.seed);
  const ctx = { index: spec.index, codeName: spec.codeName, type };
  const fields = type.gen(rng, ctx);
  for (const [field, targets] of Object.entries(spec.refs)) fields[field] = targets.map((t) => specs[refKind(type.refs[field])][t].guid);
  const variants = [];
  const languages = [['en-US', spec.enStatus, EN]];
  if (spec.esStatus) languages.push(['es-ES', spec.esStatus, ES]);
  for (const [lang, status, vocab] of languages) {
    const local = type.genLocal(rng, vocab);
    const display = local.title ?? local.name ?? (local.message ? fit(local.message, 60) : (fields.name ?? spec.codeName));
    if (edit && edit.lang === lang) local[edit.field] = editValue(local[edit.field], createRng(edit.seed), vocab);
    variants.push([lang, { status, displayName: display, fields: local }]);
  }
  return emitItem({ guid: spec.guid, codeName: spec.codeName, type }, fields, variants);
}

// ------------------------------------------------------------------------------------ pages and assets

/** One page and one asset for every 20 items; the asset folders hold ~250 assets each. */
const PAGES_PER_ITEM = 1 / 20;
const ASSETS_PER_ITEM = 1 / 20;
const ASSETS_PER_FOLDER = 250;
/** Root pages per channel; pages below them go at most this deep (a root has depth 0). */
const ROOTS_PER_CHANNEL = 3;
const MAX_PAGE_DEPTH = 5;
/** Of the pages (assets) a change commit changes, one in this many moves to another parent (folder). */
const MOVE_EVERY = 5;

/**
 * The website channels pages live in: the sample's `website` (en-US first) and a generated one,
 * `stories`, whose primary language is es-ES. Every page has a variant in its channel's primary
 * language, and in the other language with the given chance.
 */
const PAGE_CHANNELS = [
  { codeName: 'website', primary: ['en-US', EN], other: ['es-ES', ES], share: 2 / 3, otherChance: 0.6 },
  { codeName: 'stories', primary: ['es-ES', ES], other: ['en-US', EN], share: 1 / 3, otherChance: 0.5 },
];

const STORIES_CHANNEL = `# yaml-language-server: $schema=../../schemas/channel.schema.json
kind: channel
guid: 5b0f3c1e-8d2a-4f6b-9c47-3e1d2a6b8f90
codeName: stories
displayName: Ferry Coffee stories
type: website
primaryLanguage: es-ES
languages:
  - es-ES
  - en-US
domains:
  - historias.ferry-coffee.example
`;

const status = (rng, published, draft) => {
  const r = rng.next() / 4294967296;
  return r < published ? 'published' : r < draft ? 'draft' : 'unpublished';
};
const slugOf = (text, index) => `${text.toLowerCase().normalize('NFD').replace(/[^a-z0-9 ]/g, '').trim().split(/ +/).slice(0, 4).join('-')}-${index}`;

/**
 * A page's spec: place in the tree (channel, parent index, depth, order) and a seed its text is
 * rendered from. `featured` (items) is filled in once the items are planned.
 */
function planPage(index, rng, channelIndex, parent, order) {
  const ch = PAGE_CHANNELS[channelIndex];
  const codeName = `${rng.pick(EN)}-${rng.pick(EN)}-p${pad(index, 6)}`.normalize('NFD').replace(/[^a-z0-9-]/g, '');
  const primaryStatus = status(rng, 0.85, 0.97);
  const otherStatus = rng.chance(ch.otherChance) ? status(rng, 0.7, 0.95) : null;
  return { index, channelIndex, codeName, guid: rng.guid(), seed: rng.next(), parent: parent?.index ?? null, depth: parent ? parent.depth + 1 : 0, order, primaryStatus, otherStatus, featured: [] };
}

/** Pages of each channel: a few roots, then each page below a random earlier page of its channel that is not too deep. */
function planPageTree(count, rng, firstIndex = 0, existing = [], deleted = new Set()) {
  const out = [];
  // Children per parent index (the key `root:<channel>` counts a channel's roots), for `order`.
  const children = new Map();
  const bump = (key) => {
    const n = (children.get(key) ?? 0) + 1;
    children.set(key, n);
    return n;
  };
  for (const p of existing) if (!deleted.has(p.index)) bump(p.parent ?? `root:${p.channelIndex}`);
  const byChannel = PAGE_CHANNELS.map((_, c) => existing.filter((p) => p.channelIndex === c && !deleted.has(p.index) && p.depth < MAX_PAGE_DEPTH));
  for (let k = 0; k < count; k++) {
    const channelIndex = rng.chance(PAGE_CHANNELS[0].share) ? 0 : 1;
    const pool = byChannel[channelIndex];
    const makeRoot = pool.length === 0 || (existing.length === 0 && (children.get(`root:${channelIndex}`) ?? 0) < ROOTS_PER_CHANNEL);
    const parent = makeRoot ? null : pool[rng.int(pool.length)];
    const spec = planPage(firstIndex + k, rng, channelIndex, parent, bump(parent ? parent.index : `root:${channelIndex}`));
    out.push(spec);
    if (spec.depth < MAX_PAGE_DEPTH) pool.push(spec);
  }
  return out;
}

/** Up to 6 featured items (articles, events, products: the landing page's allowedTypes), none deleted. */
function pickFeatured(rng, pools, deleted) {
  const pool = pools.featurable;
  const out = [];
  const n = pool.length === 0 ? 0 : rng.range(0, 4);
  for (let k = 0; k < n * 2 && out.length < n; k++) {
    const c = pool[rng.int(pool.length)];
    if (!out.includes(c) && !deleted?.has(c)) out.push(c);
  }
  return out;
}

/** Page text is rendered from its seed; `edit` replaces one localized field of one variant. */
function renderPage(spec, specs, edit) {
  const ch = PAGE_CHANNELS[spec.channelIndex];
  const rng = createRng(spec.seed);
  const fields = {};
  if (rng.chance(0.5)) fields.cta = `https://www.ferry-coffee.example/${ch.codeName}/${spec.codeName}`;
  if (spec.featured.length > 0) fields.featured = spec.featured.map((t) => specs.item[t].guid);
  // Structured fields (issue 13). They point only at the featured items, so the set of referenced
  // objects (what change commits may not delete) stays what `featured` makes it.
  const featured = spec.featured.map((t) => specs.item[t].guid);
  fields.primaryLink = featured.length ? { item: featured[0], text: 'Read more' } : { text: 'Visit us', url: `https://www.ferry-coffee.example/${spec.codeName}` };
  if (rng.chance(0.5)) {
    fields.banner = { alt: 'A banner', focalPoint: { x: 0.5, y: 0.5 }, height: 600, mediaType: 'image/jpeg', provider: 'dam', url: `https://dam.ferry-coffee.example/${spec.codeName}.jpg`, width: 1200 };
  }
  if (rng.chance(0.25)) fields.theme = 'dark';
  const variants = [];
  for (const [[lang, vocab], st] of [[ch.primary, spec.primaryStatus], [ch.other, spec.otherStatus]]) {
    if (!st) continue;
    const displayName = title(rng, vocab, 60);
    const local = { headline: title(rng, vocab, 100), intro: htmlBody(rng, vocab, rng.range(1, 3)) };
    local.seo = { metaTitle: title(rng, vocab, 60) };
    local.sections = [
      { block: 'hero', fields: { cta: { text: 'Shop', url: 'https://www.ferry-coffee.example/shop' }, heading: title(rng, vocab, 100) } },
      { block: 'quote', fields: { text: title(rng, vocab, 100) } },
      ...(featured.length ? [{ block: 'spotlight', fields: { items: featured.slice(0, 3) } }] : []),
    ];
    if (edit && edit.lang === lang) local[edit.field] = editValue(local[edit.field], createRng(edit.seed), vocab);
    variants.push([lang, { status: st, displayName, slug: slugOf(displayName, spec.index), fields: local }]);
  }
  variants.sort((a, b) => cmp(a[0], b[0]));
  let out =
    '# yaml-language-server: $schema=../../../schemas/page.schema.json\n' +
    `kind: page\nguid: ${spec.guid}\ncodeName: ${spec.codeName}\ncontentType: landing-page\nchannel: ${ch.codeName}\n`;
  if (spec.parent !== null) out += `parent: ${specs.page[spec.parent].guid}\n`;
  out += `order: ${spec.order}\n`;
  if (Object.keys(fields).length > 0) out += 'fields:\n' + emitFields(fields, 2);
  out += 'variants:\n';
  for (const [lang, v] of variants) {
    out += `  ${lang}:\n    status: ${v.status}\n    displayName: ${scalar(v.displayName)}\n    slug: ${scalar(v.slug)}\n`;
    out += '    fields:\n' + emitFields(v.fields, 6);
  }
  return out;
}

const pagePath = (spec) => `content/pages/${PAGE_CHANNELS[spec.channelIndex].codeName}/${spec.codeName}.yaml`;

const ASSET_FORMATS = [
  { ext: 'png', mediaType: 'image/png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { ext: 'jpg', mediaType: 'image/jpeg', magic: [0xff, 0xd8, 0xff, 0xe0] },
  { ext: 'webp', mediaType: 'image/webp', magic: [0x52, 0x49, 0x46, 0x46] },
];

function planAssetFolders(assetCount) {
  const rng = createRng(0x7e57_0002);
  const n = Math.max(4, Math.ceil(assetCount / ASSETS_PER_FOLDER));
  return Array.from({ length: n }, (_, i) => ({ codeName: `library-${pad(i + 1, 3)}`, guid: rng.guid(), displayName: `Library ${i + 1}` }));
}

const renderFolder = (f) =>
  `# yaml-language-server: $schema=../../../schemas/asset-folder.schema.json\nkind: assetFolder\nguid: ${f.guid}\ncodeName: ${f.codeName}\ndisplayName: ${f.displayName}\n`;

function planAsset(index, rng, folderCount) {
  const codeName = `${rng.pick(EN)}-${rng.pick(EN)}-a${pad(index, 6)}`.normalize('NFD').replace(/[^a-z0-9-]/g, '');
  return { index, codeName, guid: rng.guid(), folder: rng.int(folderCount), format: rng.int(ASSET_FORMATS.length), seed: rng.next(), binarySeed: rng.next(), spanish: rng.chance(0.6) };
}

/** Small binary: the format's magic bytes, then 200 B–3 KB of noise (images do not compress). */
function assetBinary(spec) {
  const rng = createRng(spec.binarySeed);
  const magic = ASSET_FORMATS[spec.format].magic;
  const buf = Buffer.alloc(magic.length + rng.range(200, 3000));
  buf.set(magic);
  for (let i = magic.length; i < buf.length; i += 4) buf.writeUInt32LE(rng.next(), Math.min(i, buf.length - 4));
  return buf;
}

function renderAsset(spec, folders, binary) {
  const f = ASSET_FORMATS[spec.format];
  const rng = createRng(spec.seed);
  const meta = [['en-US', EN]];
  if (spec.spanish) meta.push(['es-ES', ES]);
  let out =
    '# yaml-language-server: $schema=../../../schemas/asset.schema.json\n' +
    `kind: asset\nguid: ${spec.guid}\ncodeName: ${spec.codeName}\nfolder: ${folders[spec.folder].codeName}\nfileName: ${spec.codeName}.${f.ext}\n` +
    `mediaType: ${f.mediaType}\nsize: ${binary.length}\nsha256: ${createHash('sha256').update(binary).digest('hex')}\nmetadata:\n`;
  for (const [lang, vocab] of meta) out += `  ${lang}:\n    title: ${scalar(title(rng, vocab, 60))}\n    alt: ${scalar(fit(sentence(rng, vocab), 200))}\n`;
  return out;
}

const assetDir = (spec, folders) => `content/assets/${folders[spec.folder].codeName}`;
const assetPath = (spec, folders) => `${assetDir(spec, folders)}/${spec.codeName}.yaml`;
const binaryPath = (spec, folders) => `${assetDir(spec, folders)}/${spec.codeName}.${ASSET_FORMATS[spec.format].ext}`;

function writeAsset(dir, spec, folders) {
  const binary = assetBinary(spec);
  writeFileSync(join(dir, binaryPath(spec, folders)), binary);
  const text = renderAsset(spec, folders, binary);
  writeFileSync(join(dir, assetPath(spec, folders)), text);
  return binary.length + text.length;
}

// ------------------------------------------------------------------------------------ git

const GIT_ENV = {
  ...process.env,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_AUTHOR_NAME: 'Ferry Bench',
  GIT_AUTHOR_EMAIL: 'bench@ferry-coffee.example',
  GIT_COMMITTER_NAME: 'Ferry Bench',
  GIT_COMMITTER_EMAIL: 'bench@ferry-coffee.example',
};

function git(dir, args, env = {}) {
  return execFileSync('git', args, { cwd: dir, env: { ...GIT_ENV, ...env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).trim();
}

/** `--allow-empty`: all change options at 0 still make a second (empty) commit, e.g. for a no-op deploy. */
function commit(dir, message, date) {
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '--no-verify', '--allow-empty', '-m', message], { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
  return git(dir, ['rev-parse', 'HEAD']);
}

// ------------------------------------------------------------------------------------ main

const REPOSITORY_CONFIG = `folder: content
environments:
  - name: dev
    store: sqlite:.ferry/dev.db
  - name: staging
    from: dev
    store: sqlite:.ferry/staging.db
  - name: prod
    from: staging
    store: sqlite:.ferry/prod.db
`;

function main() {
  const opts = readOptions(process.argv.slice(2));
  const t0 = performance.now();
  const log = (msg) => process.stderr.write(`[${((performance.now() - t0) / 1000).toFixed(1)}s] ${msg}\n`);
  if (existsSync(opts.out) && readdirSync(opts.out).length > 0) fail(`${opts.out} exists and is not empty`);
  mkdirSync(opts.out, { recursive: true });
  const dir = opts.out;

  git(dir, ['init', '-q', '-b', 'main']);
  for (const [k, v] of [
    ['user.name', 'Ferry Bench'],
    ['user.email', 'bench@ferry-coffee.example'],
    ['gc.auto', '0'],
    ['core.autocrlf', 'false'],
    ['commit.gpgsign', 'false'],
  ])
    git(dir, ['config', k, v]);

  // Supporting objects, copied from the sample, the generated types and the second website channel.
  const support = { ...SAMPLE_FILES, ...generatedTypeFiles(), 'channels/stories.yaml': STORIES_CHANNEL };
  writeFileSync(join(dir, 'repository.config.yaml'), REPOSITORY_CONFIG);
  writeFileSync(join(dir, '.gitignore'), '.ferry/\n');
  for (const [path, text] of Object.entries(support)) {
    mkdirSync(join(dir, 'content', path, '..'), { recursive: true });
    writeFileSync(join(dir, 'content', path), text);
  }
  for (const t of ITEM_TYPES) mkdirSync(join(dir, 'content/items', t.codeName), { recursive: true });
  for (const ch of PAGE_CHANNELS) mkdirSync(join(dir, 'content/pages', ch.codeName), { recursive: true });

  // Assets and the page tree are planned before the items (items refer to both), each from its
  // own random stream; pages' featured items are picked once the items exist.
  const assetCount = Math.max(4, Math.round(opts.items * ASSETS_PER_ITEM));
  const pageCount = Math.max(2 * ROOTS_PER_CHANNEL, Math.round(opts.items * PAGES_PER_ITEM));
  const folders = planAssetFolders(assetCount);
  const arng = createRng((opts.seed ^ 0xa55e_7001) >>> 0);
  const prng = createRng((opts.seed ^ 0x9a9e_7002) >>> 0);
  const specs = { item: [], asset: [], page: [] };
  for (let i = 0; i < assetCount; i++) specs.asset.push(planAsset(i, arng, folders.length));
  specs.page = planPageTree(pageCount, prng);

  // Plan every item (references only point at earlier items), then render and write.
  const rng = createRng(opts.seed);
  const pools = {
    all: [],
    featurable: [],
    byType: new Map([...ITEM_TYPES.map((t) => [t.codeName, []]), ['asset', specs.asset.map((a) => a.index)], ['page', specs.page.map((p) => p.index)]]),
  };
  const addSpec = (spec) => {
    specs.item.push(spec);
    pools.all.push(spec.index);
    const type = ITEM_TYPES[spec.typeIndex].codeName;
    pools.byType.get(type).push(spec.index);
    if (FEATURABLE.has(type)) pools.featurable.push(spec.index);
  };
  for (let i = 0; i < opts.items; i++) addSpec(planItem(i, rng, pools));
  for (const p of specs.page) p.featured = pickFeatured(prng, pools);

  let bytes = 0;
  const sizes = new Uint32Array(opts.items);
  for (const spec of specs.item) {
    const text = renderItem(spec, specs, null);
    const buf = Buffer.from(text, 'utf8');
    sizes[spec.index] = buf.length;
    bytes += buf.length;
    writeFileSync(join(dir, itemPath(spec)), buf);
  }
  const sorted = Array.from(sizes).sort((a, b) => a - b);
  log(`wrote ${opts.items} items, ${(bytes / 1048576).toFixed(1)} MB, median ${sorted[sorted.length >> 1]} B`);
  let pageBytes = 0;
  for (const p of specs.page) {
    const text = renderPage(p, specs, null);
    pageBytes += text.length;
    writeFileSync(join(dir, pagePath(p)), text);
  }
  const maxDepth = specs.page.reduce((m, p) => Math.max(m, p.depth), 0);
  log(`wrote ${pageCount} pages in ${PAGE_CHANNELS.length} channels (${maxDepth + 1} levels), ${(pageBytes / 1048576).toFixed(1)} MB`);
  let assetBytes = 0;
  for (const f of folders) {
    mkdirSync(join(dir, 'content/assets', f.codeName), { recursive: true });
    writeFileSync(join(dir, 'content/assets', f.codeName, '_folder.yaml'), renderFolder(f));
  }
  for (const a of specs.asset) assetBytes += writeAsset(dir, a, folders);
  log(`wrote ${assetCount} assets with their binaries in ${folders.length} folders, ${(assetBytes / 1048576).toFixed(1)} MB`);
  const baseCommit = commit(dir, `Generate ${opts.items} items, ${pageCount} pages, ${assetCount} assets (seed ${opts.seed})`, '2025-01-01T00:00:00Z');
  log(`base commit ${baseCommit}`);

  let headCommit = baseCommit;
  const counts = { changed: 0, added: 0, deleted: 0, pages: { total: pageCount, edited: 0, moved: 0, added: 0, deleted: 0 }, assets: { total: assetCount, replaced: 0, moved: 0, added: 0, deleted: 0 } };
  if (opts.secondCommit) {
    const crng = createRng((opts.seed ^ 0x5eed_c0de) >>> 0);
    const pcrng = createRng((opts.seed ^ 0x9a9e_c0de) >>> 0);
    const acrng = createRng((opts.seed ^ 0xa55e_c0de) >>> 0);
    const count = (pct, of = opts.items) => Math.round((of * pct) / 100);
    /** `want` distinct members of `list`, drawn with `r`, none in `exclude`. */
    const draw = (r, list, want, exclude = new Set()) => {
      const out = new Set();
      const candidates = list.filter((x) => !exclude.has(x));
      want = Math.min(want, candidates.length);
      while (out.size < want) out.add(candidates[r.int(candidates.length)]);
      return out;
    };

    // What refers to what in the base: nothing referred to is deleted, so the head stays valid.
    const referenced = { item: new Uint8Array(opts.items), asset: new Uint8Array(assetCount), page: new Uint8Array(pageCount) };
    for (const s of specs.item) {
      for (const [field, targets] of Object.entries(s.refs)) for (const t of targets) referenced[refKind(ITEM_TYPES[s.typeIndex].refs[field])][t] = 1;
    }
    const hasChildren = new Uint8Array(pageCount);
    for (const p of specs.page) {
      for (const t of p.featured) referenced.item[t] = 1;
      if (p.parent !== null) hasChildren[p.parent] = 1;
    }

    // Deletions: items, assets and leaf pages nothing refers to.
    const toDelete = draw(crng, specs.item.filter((s) => !referenced.item[s.index]).map((s) => s.index), count(opts.deletePercent));
    const assetsToDelete = draw(acrng, specs.asset.filter((a) => !referenced.asset[a.index]).map((a) => a.index), count(opts.deletePercent, assetCount));
    const pagesToDelete = draw(pcrng, specs.page.filter((p) => !referenced.page[p.index] && !hasChildren[p.index]).map((p) => p.index), count(opts.deletePercent, pageCount));

    // Item changes: one localized field of one language variant of an item that stays.
    const toChange = draw(crng, specs.item.map((s) => s.index), count(opts.changePercent), toDelete);
    for (const i of [...toChange].sort((a, b) => a - b)) {
      const spec = specs.item[i];
      const lang = spec.esStatus && crng.chance(0.3) ? 'es-ES' : 'en-US';
      const field = crng.pick(localizedNames.get(ITEM_TYPES[spec.typeIndex].codeName));
      writeFileSync(join(dir, itemPath(spec)), renderItem(spec, specs, { lang, field, seed: crng.next() }));
    }
    for (const i of toDelete) unlinkSync(join(dir, itemPath(specs.item[i])));

    // Page changes: one in MOVE_EVERY (at least one) moves below another page of its channel that
    // sits higher in the base tree (so no set of moves can make a loop), placed last among its new
    // siblings; the others get one localized field of one variant edited.
    const wantPageChanges = count(opts.changePercent, pageCount);
    const wantMoves = Math.ceil(wantPageChanges / MOVE_EVERY);
    const pagesToMove = draw(pcrng, specs.page.filter((p) => p.depth > 0).map((p) => p.index), wantMoves, pagesToDelete);
    const pagesToEdit = draw(pcrng, specs.page.map((p) => p.index), wantPageChanges - pagesToMove.size, new Set([...pagesToDelete, ...pagesToMove]));
    const childCount = new Map();
    for (const p of specs.page) if (p.parent !== null && !pagesToDelete.has(p.index)) childCount.set(p.parent, (childCount.get(p.parent) ?? 0) + 1);
    for (const i of [...pagesToMove].sort((a, b) => a - b)) {
      const spec = specs.page[i];
      const targets = specs.page.filter((p) => p.channelIndex === spec.channelIndex && p.depth < spec.depth && p.index !== spec.parent && !pagesToDelete.has(p.index));
      if (targets.length === 0) {
        pagesToMove.delete(i); // a tiny tree: nowhere to go
        continue;
      }
      const to = targets[pcrng.int(targets.length)];
      spec.parent = to.index;
      spec.order = (childCount.get(to.index) ?? 0) + 1;
      childCount.set(to.index, spec.order);
      writeFileSync(join(dir, pagePath(spec)), renderPage(spec, specs, null));
    }
    for (const i of [...pagesToEdit].sort((a, b) => a - b)) {
      const spec = specs.page[i];
      const ch = PAGE_CHANNELS[spec.channelIndex];
      const lang = spec.otherStatus && pcrng.chance(0.3) ? ch.other[0] : ch.primary[0];
      writeFileSync(join(dir, pagePath(spec)), renderPage(spec, specs, { lang, field: pcrng.pick(['headline', 'intro']), seed: pcrng.next() }));
    }
    Object.assign(counts.pages, { edited: pagesToEdit.size, moved: pagesToMove.size });
    for (const i of pagesToDelete) unlinkSync(join(dir, pagePath(specs.page[i])));

    // Asset changes: one in MOVE_EVERY moves (YAML and binary) to another folder; the others get
    // a new binary, their YAML its new size and sha256.
    const assetsToChange = [...draw(acrng, specs.asset.map((a) => a.index), count(opts.changePercent, assetCount), assetsToDelete)].sort((a, b) => a - b);
    assetsToChange.forEach((i, k) => {
      const spec = specs.asset[i];
      unlinkSync(join(dir, assetPath(spec, folders)));
      unlinkSync(join(dir, binaryPath(spec, folders)));
      if (k % MOVE_EVERY === 0) {
        spec.folder = (spec.folder + 1 + acrng.int(folders.length - 1)) % folders.length;
        counts.assets.moved++;
      } else {
        spec.binarySeed = acrng.next();
        counts.assets.replaced++;
      }
      writeAsset(dir, spec, folders);
    });
    for (const i of assetsToDelete) {
      unlinkSync(join(dir, assetPath(specs.asset[i], folders)));
      unlinkSync(join(dir, binaryPath(specs.asset[i], folders)));
    }

    // Additions: assets, pages below pages that stay, then items that may refer to any of them.
    const wantAssets = count(opts.addPercent, assetCount);
    for (let k = 0; k < wantAssets; k++) {
      const spec = planAsset(assetCount + k, acrng, folders.length);
      specs.asset.push(spec);
      pools.byType.get('asset').push(spec.index);
      writeAsset(dir, spec, folders);
    }
    const newPages = planPageTree(count(opts.addPercent, pageCount), pcrng, pageCount, specs.page, pagesToDelete);
    for (const p of newPages) {
      p.featured = pickFeatured(pcrng, pools, toDelete);
      specs.page.push(p);
      pools.byType.get('page').push(p.index);
      writeFileSync(join(dir, pagePath(p)), renderPage(p, specs, null));
    }
    pools.deleted = { item: toDelete, asset: assetsToDelete, page: pagesToDelete };
    const wantAdd = count(opts.addPercent);
    for (let k = 0; k < wantAdd; k++) {
      const spec = planItem(opts.items + k, crng, pools);
      addSpec(spec);
      writeFileSync(join(dir, itemPath(spec)), renderItem(spec, specs, null));
    }
    Object.assign(counts, { changed: toChange.size, added: wantAdd, deleted: toDelete.size });
    Object.assign(counts.pages, { added: newPages.length, deleted: pagesToDelete.size });
    Object.assign(counts.assets, { added: wantAssets, deleted: assetsToDelete.size });
    const { pages: pc, assets: ac } = counts;
    headCommit = commit(
      dir,
      `Change ${counts.changed}, add ${counts.added}, delete ${counts.deleted} items; edit ${pc.edited}, move ${pc.moved}, add ${pc.added}, delete ${pc.deleted} pages; replace ${ac.replaced}, move ${ac.moved}, add ${ac.added}, delete ${ac.deleted} assets`,
      '2025-01-02T00:00:00Z',
    );
    log(`head commit ${headCommit}: items ${counts.changed} changed, ${counts.added} added, ${counts.deleted} deleted; pages ${pc.edited} edited, ${pc.moved} moved, ${pc.added} added, ${pc.deleted} deleted; assets ${ac.replaced} replaced, ${ac.moved} moved, ${ac.added} added, ${ac.deleted} deleted`);
  }
  if (opts.pack) {
    git(dir, ['repack', '-a', '-d', '-q']); // -d also removes the now-packed loose objects
    log('packed');
  }
  process.stdout.write(JSON.stringify({ dir, items: opts.items, baseCommit, headCommit, ...counts }) + '\n');
}

// ------------------------------------------------------------------------------------ sample files
// Languages, workspaces, channels and content types copied byte for byte from content/ (the
// Ferry Coffee sample), so generated repositories share the sample's schema and guids.
// BEGIN SAMPLE FILES
const SAMPLE_FILES = {
  'languages/en-US.yaml': `# yaml-language-server: $schema=../../schemas/language.schema.json
kind: language
codeName: en-US
displayName: English (United States)
isDefault: true
`,
  'languages/es-ES.yaml': `# yaml-language-server: $schema=../../schemas/language.schema.json
kind: language
codeName: es-ES
displayName: Spanish (Spain)
isDefault: false
fallback: en-US
`,
  'workspaces/editorial.yaml': `# yaml-language-server: $schema=../../schemas/workspace.schema.json
kind: workspace
guid: 7a3d1a22-031d-4ebd-9b5c-2654aba9831f
codeName: editorial
displayName: Editorial
`,
  'workspaces/marketing.yaml': `# yaml-language-server: $schema=../../schemas/workspace.schema.json
kind: workspace
guid: 16e42010-b3dc-43fa-a746-bb44c0604fac
codeName: marketing
displayName: Marketing
`,
  'channels/mobile-app.yaml': `# yaml-language-server: $schema=../../schemas/channel.schema.json
kind: channel
guid: fc26ecac-9d48-4695-990d-69c2bdb93784
codeName: mobile-app
displayName: Ferry Coffee mobile app
type: headless
primaryLanguage: en-US
languages:
  - en-US
  - es-ES
`,
  'channels/website.yaml': `# yaml-language-server: $schema=../../schemas/channel.schema.json
kind: channel
guid: 8930dd4c-99c5-4c32-b488-f7d035b3b36e
codeName: website
displayName: Ferry Coffee website
type: website
primaryLanguage: en-US
languages:
  - en-US
  - es-ES
domains:
  - www.ferry-coffee.example
`,
  'content-types/article.yaml': `# yaml-language-server: $schema=../../schemas/content-type.schema.json
kind: contentType
guid: fdece971-e215-40f8-b110-9befb556d722
codeName: article
displayName: Article
usage: reusable
description: Blog posts, brewing guides and news from the roastery.
fields:
  - guid: 2532254d-42fb-418a-a3c3-e7dd43f898a7
    name: title
    label: Title
    type: text
    required: true
    localized: true
    validation:
      minLength: 3
      maxLength: 120
  - guid: 420672e4-c82f-4767-b014-d2f65c145e89
    name: summary
    label: Summary
    type: longText
    required: false
    localized: true
    validation:
      maxLength: 400
  - guid: 85325a92-1720-465c-91b9-508549061a5d
    name: body
    label: Body
    type: richText
    format: html
    required: true
    localized: true
  - guid: ed43f8e6-5d7c-4a86-af69-4222ccf66fdd
    name: publishDate
    label: Publish date
    type: date
    required: false
    localized: false
  - guid: e2f297d3-7578-42ea-95a9-297e71fae210
    name: author
    label: Author
    type: contentItems
    required: false
    localized: false
    validation:
      maxItems: 1
      allowedTypes:
        - author
  - guid: 2466324f-089a-406f-ba63-ce880ad83cda
    name: tags
    label: Tags
    type: taxonomy
    required: false
    localized: false
    validation:
      maxItems: 5
  - guid: e05cf1af-22e9-4d47-96d7-c4f6a4a8221b
    name: heroImage
    label: Hero image
    type: assets
    required: false
    localized: false
    validation:
      maxItems: 1
  - guid: e9f39ae7-fda1-4f43-b2c1-6070fcefba7b
    name: related
    label: Related articles
    type: contentItems
    required: false
    localized: false
    validation:
      maxItems: 3
      allowedTypes:
        - article
`,
  'content-types/author.yaml': `# yaml-language-server: $schema=../../schemas/content-type.schema.json
kind: contentType
guid: 6216c407-991e-4074-8906-78100d024b27
codeName: author
displayName: Author
usage: reusable
description: People who write for the Ferry Coffee journal.
fields:
  - guid: 991b232b-7667-42aa-92bf-ba96e3e2eb0f
    name: name
    label: Name
    type: text
    required: true
    localized: false
    validation:
      minLength: 2
      maxLength: 80
  - guid: 13067362-c119-43ac-8ad6-3e9a546e2f4c
    name: bio
    label: Biography
    type: richText
    format: markdown
    required: false
    localized: true
    validation:
      maxLength: 2000
  - guid: 6b9075ab-d882-4377-93cd-393701ff4cc6
    name: email
    label: E-mail
    type: email
    required: false
    localized: false
    validation:
      pattern: "@ferry-coffee\\\\.example$"
  - guid: 73410509-8d19-4c41-b2a5-512246183379
    name: website
    label: Website
    type: url
    required: false
    localized: false
`,
  'content-types/event.yaml': `# yaml-language-server: $schema=../../schemas/content-type.schema.json
kind: contentType
guid: abe68722-90f5-4f04-9408-88a60d5c93a7
codeName: event
displayName: Event
usage: reusable
description: Cuppings, workshops and get-togethers at the café.
fields:
  - guid: d9704dd5-31a7-43e9-9956-13df00a4cc6d
    name: title
    label: Title
    type: text
    required: true
    localized: true
    validation:
      maxLength: 100
  - guid: 514b5dbf-ba49-4b9f-a48d-8d6b57264bb5
    name: startsAt
    label: Starts at
    type: dateTime
    required: true
    localized: false
  - guid: 8fba478c-d992-4682-a3d5-ba703542ca97
    name: endsAt
    label: Ends at
    type: dateTime
    required: false
    localized: false
  - guid: a3690424-a34e-4e36-8c38-ea244a150278
    name: location
    label: Location
    type: text
    required: false
    localized: false
    validation:
      maxLength: 120
  - guid: f9fdbcff-943d-44d8-8ea5-9a46973ea6fa
    name: signupUrl
    label: Sign-up link
    type: url
    required: false
    localized: false
  - guid: d6297b9a-2fff-43c7-9a2a-de5208c4e86b
    name: contactEmail
    label: Contact e-mail
    type: email
    required: false
    localized: false
`,
  'content-types/landing-page.yaml': `# yaml-language-server: $schema=../../schemas/content-type.schema.json
kind: contentType
guid: d9f4f7f0-8872-4e54-b04f-d920d8f763a6
codeName: landing-page
displayName: Landing page
usage: page
description: A page of the website with a headline, an introduction and featured content.
fields:
  - guid: 3aaa3567-098f-496c-b53a-0fbb138eccd6
    name: headline
    label: Headline
    type: text
    required: true
    localized: true
    validation:
      maxLength: 100
  - guid: e0973464-01b4-4cd4-bf59-26b64c4dadcf
    name: intro
    label: Introduction
    type: richText
    required: false
    localized: true
  - guid: d58b34f0-95dc-459d-8fee-94680a9a4517
    name: featured
    label: Featured content
    type: contentItems
    required: false
    localized: false
    validation:
      maxItems: 6
      allowedTypes:
        - article
        - event
        - product
  - guid: 759dcca2-baa9-4b97-a80e-94c42fcc81fe
    name: cta
    label: Call-to-action link
    type: url
    required: false
    localized: false
  - guid: 12eea7fc-ddb3-44b8-9905-79d97158f8e6
    name: sections
    label: Sections
    type: blocks
    required: false
    localized: true
    validation:
      maxItems: 12
    blockTypes:
      - guid: 861de760-5dc5-4fb2-b71d-4ae0cfd52df0
        name: hero
        label: Hero
        fields:
          - guid: d64b0ea0-b09c-4b02-b0cd-ceb81d10f6c2
            name: heading
            label: Heading
            type: text
            required: true
            validation:
              maxLength: 100
          - guid: d87733c1-090e-401a-baf8-594e56bb6522
            name: image
            label: Image
            type: media
            required: false
          - guid: 69a332aa-b8c6-4eb6-a7fa-086fa507be5e
            name: cta
            label: Call to action
            type: link
            required: false
      - guid: edc63354-f7cf-4cc5-8671-3a46ede853b3
        name: quote
        label: Quote
        fields:
          - guid: 6e2935e7-7dae-47e4-b434-1b885350c01c
            name: text
            label: Text
            type: longText
            required: true
          - guid: 4d9e7598-f3de-4ff8-a6b5-60740ec6e9ea
            name: attribution
            label: Attribution
            type: text
            required: false
      - guid: ca7497a7-0c38-400e-8675-0d54ca0eef9c
        name: spotlight
        label: Spotlight
        fields:
          - guid: fb77ea68-9b54-4c44-8794-93686bd02ce3
            name: items
            label: Items and pages
            type: references
            required: true
            validation:
              maxItems: 3
              allowedKinds:
                - contentItem
                - page
  - guid: 358b4e09-4d71-4e47-b920-5db1204540f2
    name: seo
    label: Search engines
    type: object
    required: false
    localized: true
    fields:
      - guid: b841708d-eb7c-4f92-a222-03d551303582
        name: metaTitle
        label: Meta title
        type: text
        required: true
        validation:
          maxLength: 60
      - guid: 39e41a75-cbfe-4b05-a5e1-21261a0db4cd
        name: metaDescription
        label: Meta description
        type: longText
        required: false
        validation:
          maxLength: 160
  - guid: eb7ce757-3145-4d17-8609-8020a3b2388c
    name: primaryLink
    label: Primary link
    type: link
    required: false
    localized: false
  - guid: 0dc11fe4-2cde-4ae8-b0d0-864843dbd000
    name: banner
    label: Banner image
    type: media
    required: false
    localized: false
  - guid: d259e195-b5e1-4ffd-b81b-48604a3a6d3d
    name: theme
    label: Colour theme
    type: text
    required: false
    localized: false
    default: light
    validation:
      pattern: ^(light|dark)$
`,
  'content-types/origin.yaml': `# yaml-language-server: $schema=../../schemas/content-type.schema.json
kind: contentType
guid: ab9887db-c298-4216-bbdd-157449861940
codeName: origin
displayName: Origin
usage: reusable
description: Growing regions and the farms we buy from.
fields:
  - guid: 9f800646-d18a-49e1-a86a-f2b88c5ebab7
    name: name
    label: Name
    type: text
    required: true
    localized: false
    validation:
      maxLength: 80
  - guid: 71477ada-ffd9-4758-a6d7-0ef038d86b1c
    name: country
    label: Country
    type: text
    required: true
    localized: false
    validation:
      maxLength: 60
  - guid: 3eb8d9eb-d63c-493b-830e-8aa5a6b1e1c4
    name: altitudeMeters
    label: Altitude (m)
    type: integer
    required: false
    localized: false
    validation:
      min: 0
      max: 3000
  - guid: 89d5d449-ec71-4009-b18b-173429bf94a7
    name: description
    label: Description
    type: richText
    required: false
    localized: true
`,
  'content-types/product.yaml': `# yaml-language-server: $schema=../../schemas/content-type.schema.json
kind: contentType
guid: a817d8ba-6d0e-4e53-a04e-9cc15aafd212
codeName: product
displayName: Product
usage: reusable
description: Coffees and brewing kits sold in the shop and the app.
fields:
  - guid: b58ab9bd-dad8-42a0-bd15-c88f28acb528
    name: name
    label: Name
    type: text
    required: true
    localized: true
    validation:
      maxLength: 80
  - guid: ee890601-9901-4402-bf2e-f725465f7afa
    name: sku
    label: SKU
    type: text
    required: true
    localized: false
    validation:
      pattern: ^[A-Z]{3}-[0-9]{4}$
  - guid: 3eb28df3-3f82-4dea-8676-a5a3461518a9
    name: price
    label: Price (USD)
    type: decimal
    required: true
    localized: false
    validation:
      min: 0
      max: 1000
  - guid: cdab4e33-df43-4ec4-9371-498de0bd49f6
    name: stock
    label: Bags in stock
    type: integer
    required: false
    localized: false
    validation:
      min: 0
      max: 100000
  - guid: ec52bf17-613e-40ae-bfa1-29e07305655e
    name: available
    label: Available to order
    type: boolean
    required: true
    localized: false
  - guid: 2916bed9-1354-4ff5-9478-c13fb11e050e
    name: tastingNotes
    label: Tasting notes
    type: longText
    required: false
    localized: true
    validation:
      maxLength: 300
  - guid: 4f7b9b68-dd18-46b8-8f55-b49fd6847971
    name: origin
    label: Origins
    type: contentItems
    required: false
    localized: false
    validation:
      minItems: 1
      maxItems: 3
      allowedTypes:
        - origin
  - guid: 95efda0a-5ce5-45c0-9960-5f84ba690375
    name: images
    label: Images
    type: assets
    required: false
    localized: false
    validation:
      maxItems: 4
  - guid: 6ae0be20-34b3-48af-901d-ab77399cfe7a
    name: specs
    label: Specifications
    type: json
    required: false
    localized: false
  - guid: d555c41c-c169-4bbb-9f0e-d3501f11b8f3
    name: roastLevel
    label: Roast level
    type: taxonomy
    required: true
    localized: false
    validation:
      minItems: 1
      maxItems: 1
      allowedValues:
        - light
        - medium
        - dark
`,
  'content-types/promo.yaml': `# yaml-language-server: $schema=../../schemas/content-type.schema.json
kind: contentType
guid: 9c46bb9f-da41-4634-98e9-7b45ac76bcba
codeName: promo
displayName: Promotion
usage: headless
description: Short promotional messages shown in the mobile app.
fields:
  - guid: 029a2de0-c31e-48fe-909d-2805f6c29cd8
    name: message
    label: Message
    type: text
    required: true
    localized: true
    validation:
      maxLength: 140
  - guid: 98981403-5f77-4cc0-8a69-db50975ea524
    name: validUntil
    label: Valid until
    type: date
    required: false
    localized: false
  - guid: bcbbc372-db69-439f-8e02-0e2a21cc653f
    name: linkedPages
    label: Linked pages
    type: pages
    required: false
    localized: false
    validation:
      minItems: 1
      maxItems: 3
      allowedTypes:
        - landing-page
`,
};
// END SAMPLE FILES

main();
