/**
 * Structured field kinds: the values of `object`, `blocks`, `link`, `media` and `references`
 * fields, the references inside rich text, and one walker that finds every content reference a
 * set of field values holds, given their definitions. Pure: values in, values out.
 *
 * Values, as files hold them:
 * - object: a map of sub-field values, `{ title: …, image: … }`;
 * - blocks: a list of `{ block: <block type name>, fields: { … } }`, in order (`block` sorts
 *   before `fields`, so each block starts with its type in the canonical file);
 * - link: exactly one target, `item`, `page` or `asset` (a guid, optionally with `anchor`) or
 *   `url`, plus optional `text`, `title` and `target`;
 * - media: `asset` (a guid) or `url` (external media, e.g. a DAM, with `mediaType`, `provider`,
 *   `externalId`), plus per-use `alt`, `focalPoint {x, y}`, `crop {x, y, width, height}`, `width`, `height`;
 * - references: a list of guids, each of one of the field's `validation.allowedKinds`.
 */
import { GUID_RE, type BlockType, type ReferenceTargetKind, type SubFieldDefinition } from './objects.js';

export const LINK_TARGETS = ['_self', '_blank', '_parent', '_top'] as const;

export interface LinkValue {
  item?: string;
  page?: string;
  asset?: string;
  url?: string;
  /** Internal targets: a fragment on the target, without `#`. */
  anchor?: string;
  text?: string;
  title?: string;
  target?: (typeof LINK_TARGETS)[number];
}

export interface MediaValue {
  asset?: string;
  url?: string;
  mediaType?: string;
  provider?: string;
  externalId?: string;
  title?: string;
  alt?: string;
  focalPoint?: { x: number; y: number };
  crop?: { x: number; y: number; width: number; height: number };
  width?: number;
  height?: number;
}

export interface BlockValue {
  block: string;
  fields?: Record<string, unknown>;
}

/** The link keys that name an internal target, and the kind each points to. */
export const LINK_TARGET_KEYS: ReadonlyArray<readonly ['item' | 'page' | 'asset', ReferenceTargetKind]> = [
  ['item', 'contentItem'],
  ['page', 'page'],
  ['asset', 'asset'],
];

/** `ferry://item/…` and friends: the word in the URL and the kind it names. */
export const RICH_TEXT_LINK_KINDS: Readonly<Record<string, ReferenceTargetKind>> = { item: 'contentItem', page: 'page', asset: 'asset' };

/** One reference written in rich text. */
export interface RichTextReference {
  /** `link` for `ferry://<kind>/<guid>`, `embed` for `<ferry-embed guid="…">`. */
  form: 'link' | 'embed';
  /** The kind a link names; an embed's kind is its target's. */
  kind?: ReferenceTargetKind;
  guid: string;
  anchor?: string;
}

/** A malformed reference in rich text: what is wrong, with the text as written. */
export interface RichTextProblem {
  text: string;
  message: string;
}

const FERRY_URL = /ferry:\/\/([A-Za-z0-9_-]*)\/?([^\s"'<>#)]*)(?:#([^\s"'<>)]*))?/g;
const EMBED = /<ferry-embed\b([^>]*)>/g;
const GUID_ATTR = /\bguid\s*=\s*(?:"([^"]*)"|'([^']*)')/;

/**
 * The references in a rich text value (HTML or Markdown): every `ferry://item|page|asset/<guid>`
 * URL (in `href`, `src` or a Markdown link), with its `#anchor`, and every `<ferry-embed guid="…">`,
 * in the order written; and what is malformed.
 *
 * @example parseRichTextReferences('<a href="ferry://page/…#menu">Menu</a>').refs[0].kind === 'page'
 */
export function parseRichTextReferences(text: string): { refs: RichTextReference[]; problems: RichTextProblem[] } {
  const refs: RichTextReference[] = [];
  const problems: RichTextProblem[] = [];
  if (!text.includes('ferry')) return { refs, problems };
  for (const m of text.matchAll(FERRY_URL)) {
    const kind = RICH_TEXT_LINK_KINDS[m[1]];
    if (!kind) {
      problems.push({ text: m[0], message: `${m[0]} names no kind Ferry links to: write ferry://item/<guid>, ferry://page/<guid> or ferry://asset/<guid>` });
      continue;
    }
    if (!GUID_RE.test(m[2])) {
      problems.push({ text: m[0], message: `${m[0]}: ${JSON.stringify(m[2])} is not a guid (a lower-case UUID)` });
      continue;
    }
    refs.push({ form: 'link', kind, guid: m[2], ...(m[3] ? { anchor: m[3] } : {}) });
  }
  for (const m of text.matchAll(EMBED)) {
    const attr = GUID_ATTR.exec(m[1]);
    const guid = attr ? (attr[1] ?? attr[2]) : undefined;
    if (guid === undefined) problems.push({ text: m[0], message: `${m[0]} has no guid attribute: write <ferry-embed guid="<guid of an item or asset>">` });
    else if (!GUID_RE.test(guid)) problems.push({ text: m[0], message: `${m[0]}: ${JSON.stringify(guid)} is not a guid (a lower-case UUID)` });
    else refs.push({ form: 'embed', guid });
  }
  return { refs, problems };
}

/** The guids a rich text value references (links and embeds), as written; cheap when there are none. */
export function richTextGuids(text: string): string[] {
  return text.includes('ferry') ? parseRichTextReferences(text).refs.map((r) => r.guid) : [];
}

/** One content reference found in field values. */
export interface StructuredReference {
  guid: string;
  /** The kind the reference says (a link's `page`, a `pages` field); absent when it allows several. */
  kind?: ReferenceTargetKind;
  /** With several allowed kinds (a `references` field, an embed): which ones. */
  allowedKinds?: readonly ReferenceTargetKind[];
  /** contentItems, pages, references: the content types allowed. */
  allowedTypes?: readonly string[];
  /** Where the value is, from the values map: `['body', 0, 'fields', 'image', 'asset']`. */
  segments: (string | number)[];
  /** Where it is for people, from the values map: `body[0].fields.image`. */
  label: string;
  /** Name of the top-level field holding it. */
  fieldName: string;
  /** How it is written. */
  form: 'list' | 'link' | 'media' | 'richTextLink' | 'embed';
  anchor?: string;
}

const LIST_KIND: Readonly<Partial<Record<string, ReferenceTargetKind>>> = { contentItems: 'contentItem', pages: 'page', assets: 'asset' };
const EMBED_KINDS: readonly ReferenceTargetKind[] = ['contentItem', 'asset'];
/** A `references` field without `allowedKinds` holds items and pages. */
export const DEFAULT_REFERENCE_KINDS: readonly ReferenceTargetKind[] = ['contentItem', 'page'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function labelOf(segments: readonly (string | number)[]): string {
  let out = '';
  for (const s of segments) out += typeof s === 'number' ? `[${s}]` : out === '' ? s : `.${s}`;
  return out;
}

/** The block type a block value names, in a blocks field. */
export function blockTypeOf(def: SubFieldDefinition, block: unknown): BlockType | undefined {
  if (!isRecord(block) || typeof block.block !== 'string') return undefined;
  return (def.blockTypes ?? []).find((t) => t.name === block.block);
}

/**
 * Calls `visit` for every field value in `values` that `defs` declare, and for the values of
 * sub-fields inside object fields and blocks, at any depth, with where each one is (from the
 * values map: `['body', 0, 'fields', 'image']`) and the name of the top-level field.
 */
export function walkFieldValues(
  defs: readonly SubFieldDefinition[],
  values: Record<string, unknown> | undefined,
  visit: (def: SubFieldDefinition, value: unknown, at: (string | number)[], fieldName: string) => void,
): void {
  if (!values) return;
  const seen = new Set<string>();
  for (const def of defs) {
    if (seen.has(def.name)) continue;
    seen.add(def.name);
    if (def.name in values) walkOne(def, values[def.name], [def.name], def.name, visit);
  }
}

function walkOne(
  def: SubFieldDefinition,
  value: unknown,
  at: (string | number)[],
  fieldName: string,
  visit: (def: SubFieldDefinition, value: unknown, at: (string | number)[], fieldName: string) => void,
): void {
  visit(def, value, at, fieldName);
  if (def.type === 'object' && isRecord(value)) {
    for (const sub of def.fields ?? []) if (sub.name in value) walkOne(sub, value[sub.name], [...at, sub.name], fieldName, visit);
  } else if (def.type === 'blocks' && Array.isArray(value)) {
    value.forEach((block, i) => {
      const type = blockTypeOf(def, block);
      const fields = isRecord(block) ? block.fields : undefined;
      if (!type || !isRecord(fields)) return;
      for (const sub of type.fields ?? []) if (sub.name in fields) walkOne(sub, fields[sub.name], [...at, i, 'fields', sub.name], fieldName, visit);
    });
  }
}

/**
 * Calls `visit` for every content reference in `values` (a `fields` map) that `defs` declare:
 * guid lists, links and media with an internal target, rich text links and embeds, and all of
 * these inside object fields and blocks, at any depth. Values of the wrong shape are skipped
 * (the field schema reports them).
 */
export function forEachStructuredReference(defs: readonly SubFieldDefinition[], values: Record<string, unknown> | undefined, visit: (r: StructuredReference) => void): void {
  walkFieldValues(defs, values, (def, value, at, fieldName) => referencesInValue(def, value, at, fieldName, visit));
}

function referencesInValue(def: SubFieldDefinition, value: unknown, at: (string | number)[], fieldName: string, visit: (r: StructuredReference) => void): void {
  const emit = (r: Omit<StructuredReference, 'label' | 'fieldName'>, labelAt: readonly (string | number)[]): void =>
    visit({ ...r, label: labelOf(labelAt), fieldName });
  switch (def.type) {
    case 'contentItems':
    case 'pages':
    case 'assets':
    case 'references': {
      if (!Array.isArray(value)) return;
      const kind = LIST_KIND[def.type];
      const allowedKinds = def.type === 'references' ? (def.validation?.allowedKinds ?? DEFAULT_REFERENCE_KINDS) : undefined;
      const allowedTypes = def.type === 'assets' ? undefined : def.validation?.allowedTypes;
      value.forEach((guid, i) => {
        if (typeof guid !== 'string') return;
        emit({ guid, ...(kind ? { kind } : {}), ...(allowedKinds ? { allowedKinds } : {}), ...(allowedTypes ? { allowedTypes } : {}), segments: [...at, i], form: 'list' }, at);
      });
      return;
    }
    case 'link': {
      if (!isRecord(value)) return;
      for (const [key, kind] of LINK_TARGET_KEYS) {
        const guid = value[key];
        if (typeof guid !== 'string') continue;
        const anchor = typeof value.anchor === 'string' ? value.anchor : undefined;
        const allowedTypes = key === 'asset' ? undefined : def.validation?.allowedTypes;
        emit(
          {
            guid,
            kind,
            ...(def.validation?.allowedKinds ? { allowedKinds: def.validation.allowedKinds } : {}),
            ...(allowedTypes ? { allowedTypes } : {}),
            segments: [...at, key],
            form: 'link',
            ...(anchor ? { anchor } : {}),
          },
          at,
        );
      }
      return;
    }
    case 'media':
      if (isRecord(value) && typeof value.asset === 'string') emit({ guid: value.asset, kind: 'asset', segments: [...at, 'asset'], form: 'media' }, at);
      return;
    case 'richText':
      if (typeof value !== 'string') return;
      for (const r of parseRichTextReferences(value).refs) {
        if (r.form === 'link') emit({ guid: r.guid, kind: r.kind, segments: at, form: 'richTextLink', ...(r.anchor ? { anchor: r.anchor } : {}) }, at);
        else emit({ guid: r.guid, allowedKinds: EMBED_KINDS, segments: at, form: 'embed' }, at);
      }
      return;
    default:
      return;
  }
}

/**
 * Every guid a field value may reference, without its definition: guid strings anywhere in it
 * and the references written in its strings' rich text markup. A superset, as stores need.
 */
export function guidsInValue(v: unknown, out: Set<string>): void {
  if (typeof v === 'string') {
    if (v.length === 36 && GUID_RE.test(v)) out.add(v);
    else for (const g of richTextGuids(v)) out.add(g);
  } else if (Array.isArray(v)) {
    for (const x of v) guidsInValue(x, out);
  } else if (v && typeof v === 'object') {
    for (const x of Object.values(v)) guidsInValue(x, out);
  }
}
