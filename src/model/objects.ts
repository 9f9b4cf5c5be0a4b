/**
 * The content model: every object kind Ferry serializes. These are plain values, exactly what a
 * canonical YAML file holds (minus the `kind` discriminator's file-level comment). Identity is the
 * `guid` (lower-case UUID) in every environment; languages are identified by their code name.
 *
 * References between objects:
 * - to supporting objects (content type, workspace, channel, language, asset folder) by code name,
 *   so files read well in a pull request; the snapshot resolves them to guids for compatibility
 *   checks against a target;
 * - to content (items, pages, assets) by guid, as DESIGN.md says, so renames never break them.
 */

export const OBJECT_KINDS = [
  'language',
  'workspace',
  'channel',
  'contentType',
  'assetFolder',
  'asset',
  'contentFolder',
  'contentItem',
  'page',
] as const;
export type ObjectKind = (typeof OBJECT_KINDS)[number];

/** Dependency order: a kind only depends on kinds before it. Deletions run in reverse. */
export const KIND_ORDER: Readonly<Record<ObjectKind, number>> = {
  language: 0,
  workspace: 1,
  channel: 2,
  contentType: 3,
  assetFolder: 4,
  asset: 5,
  contentFolder: 6,
  contentItem: 7,
  page: 8,
};

export const GUID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';
export const CODE_NAME_PATTERN = '^[a-z0-9][a-z0-9._-]*$';
/** BCP 47-like language code: `en`, `en-US`, `zh-Hant-TW`. */
export const LANGUAGE_CODE_PATTERN = '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$';
/** Field names are identifiers, as in Contentstack and Kentico: `title`, `heroImage`, `meta_description`. */
export const FIELD_NAME_PATTERN = '^[A-Za-z][A-Za-z0-9_]*$';

export const GUID_RE = new RegExp(GUID_PATTERN);
export const CODE_NAME_RE = new RegExp(CODE_NAME_PATTERN);
export const LANGUAGE_CODE_RE = new RegExp(LANGUAGE_CODE_PATTERN);
export const FIELD_NAME_RE = new RegExp(FIELD_NAME_PATTERN);

export type Guid = string;
export type CodeName = string;
export type LanguageCode = string;

export interface Language {
  kind: 'language';
  codeName: LanguageCode;
  displayName: string;
  isDefault: boolean;
  /** Language used when a variant is missing in this one. */
  fallback?: LanguageCode;
}

export interface Workspace {
  kind: 'workspace';
  guid: Guid;
  codeName: CodeName;
  displayName: string;
  /**
   * The workflow steps a variant of this workspace's items goes through, in order (e.g. draft,
   * review, approved, published); each variant records its `step`. Absent: the three statuses
   * alone. One step is always `published`: only variants at it are delivered.
   */
  workflow?: WorkflowStep[];
}

/** One step of a workspace's workflow. */
export interface WorkflowStep {
  /** What a variant's `step` says when it is at this step. */
  codeName: CodeName;
  displayName: string;
}

/** The step that delivers a variant, in every workflow. */
export const PUBLISHED_STEP = 'published';

/** The steps a variant of a workspace's items may be at: its workflow's, or none (the three statuses alone). */
export function workflowSteps(workspace: Workspace | undefined): readonly string[] {
  return workspace?.workflow?.map((s) => s.codeName) ?? [];
}

export const CHANNEL_TYPES = ['website', 'headless', 'email'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

export interface Channel {
  kind: 'channel';
  guid: Guid;
  codeName: CodeName;
  displayName: string;
  type: ChannelType;
  /** Language code names, sorted. */
  languages: LanguageCode[];
  primaryLanguage: LanguageCode;
  /** Website channels: host names, sorted. */
  domains?: string[];
}

export const CONTENT_TYPE_USAGES = ['reusable', 'page', 'headless', 'email'] as const;
export type ContentTypeUsage = (typeof CONTENT_TYPE_USAGES)[number];

export const FIELD_DATA_TYPES = [
  'text',
  'longText',
  'richText',
  'integer',
  'decimal',
  'boolean',
  'date',
  'dateTime',
  'url',
  'email',
  'json',
  'taxonomy',
  'contentItems',
  'pages',
  'assets',
  // Structured kinds (see field-kinds.ts): a group of sub-fields, a list of typed blocks, a
  // link, a media use, references to several kinds at once.
  'object',
  'blocks',
  'link',
  'media',
  'references',
] as const;
export type FieldDataType = (typeof FIELD_DATA_TYPES)[number];
/** Data types whose value is a list of guids. */
export const REFERENCE_DATA_TYPES: ReadonlySet<FieldDataType> = new Set(['contentItems', 'pages', 'assets', 'references']);

export interface FieldValidation {
  /** text, longText, richText, url, email: string length. */
  minLength?: number;
  maxLength?: number;
  /** integer, decimal: value range. */
  min?: number;
  max?: number;
  /** text, url, email: a regular expression the value must match. */
  pattern?: string;
  /** references and taxonomy: number of entries. */
  minItems?: number;
  maxItems?: number;
  /** contentItems, pages: code names of the content types allowed. */
  allowedTypes?: CodeName[];
  /** taxonomy: the allowed tags. */
  allowedValues?: string[];
  /** references, link: the kinds an (internal) target may be. */
  allowedKinds?: ReferenceTargetKind[];
}

/** What people read about a content type or a field in one language (an editor's UI language). */
export interface LocalizedLabel {
  /** Content types: the display name; fields: the label. */
  name?: string;
  description?: string;
}

/** A field of a content type, or a sub-field of an `object` field or of a block type. */
export interface SubFieldDefinition {
  guid: Guid;
  name: string;
  label?: string;
  type: FieldDataType;
  /** richText only: `html` (default) or `markdown`. */
  format?: 'html' | 'markdown';
  required: boolean;
  validation?: FieldValidation;
  /** object only: the sub-fields (a group). */
  fields?: SubFieldDefinition[];
  /** blocks only: the block types a list may hold. */
  blockTypes?: BlockType[];
}

export interface FieldDefinition extends SubFieldDefinition {
  /** The label (and a description) per language code, for editors in other languages. */
  labels?: Record<LanguageCode, LocalizedLabel>;
  /** Localized fields live in each language variant; the others once per item. */
  localized: boolean;
  /**
   * The value an item inherits when it leaves the field out (resolved in delivery). An item may
   * also set the field to null: explicitly empty, which does not inherit.
   */
  default?: FieldValue;
}

export interface ContentType {
  kind: 'contentType';
  guid: Guid;
  codeName: CodeName;
  displayName: string;
  usage: ContentTypeUsage;
  description?: string;
  /** The display name and description per language code. */
  labels?: Record<LanguageCode, LocalizedLabel>;
  fields: FieldDefinition[];
}

/** One kind of block in a `blocks` field: a name (used in values as `block: <name>`) and its fields. */
export interface BlockType {
  guid: Guid;
  name: string;
  label?: string;
  fields: SubFieldDefinition[];
}

/** The kinds a reference may point to. */
export const REFERENCE_TARGET_KINDS = ['contentItem', 'page', 'asset'] as const;
export type ReferenceTargetKind = (typeof REFERENCE_TARGET_KINDS)[number];

export const VARIANT_STATUSES = ['draft', 'published', 'unpublished'] as const;
export type VariantStatus = (typeof VARIANT_STATUSES)[number];

/** A field value as YAML gives it: strings, numbers, booleans, lists, maps (json fields), null. */
export type FieldValue = unknown;
export type FieldValues = Record<string, FieldValue>;

export interface ItemVariant {
  status: VariantStatus;
  /**
   * In a workspace with a workflow: the step the variant is at (`review`, `approved`…).
   * `status` is `published` exactly when the step is `published` (validation checks it).
   */
  step?: string;
  displayName: string;
  /** Localized field values, by field name. */
  fields: FieldValues;
}

export interface ContentItem {
  kind: 'contentItem';
  guid: Guid;
  codeName: CodeName;
  contentType: CodeName;
  workspace: CodeName;
  /**
   * The content folder the item sits in, by guid (what Ferry writes: moving the folder leaves the
   * file's bytes alone) or by code-name path (`events/2026`). Absent: the item sits in no folder,
   * in `items/<contentType>/`.
   */
  folder?: string;
  /** Non-localized field values, by field name. */
  fields: FieldValues;
  /** One variant per language code, keys sorted by code point. */
  variants: Record<LanguageCode, ItemVariant>;
}

/**
 * A folder of content items (Sitecore's item tree, Kentico's content hub folders), nested to any
 * depth: its file is `items/<folder path>/_folder.yaml`, where the folder path is the code names
 * from the root folder down to this one, and its items sit beside that file.
 */
export interface ContentFolder {
  kind: 'contentFolder';
  guid: Guid;
  codeName: CodeName;
  displayName: string;
  /** Code name of the workspace the folder and every item in it belong to. */
  workspace: CodeName;
  /** Guid of the parent folder; absent for a root folder. */
  parent?: Guid;
}

export interface PageVariant extends ItemVariant {
  /** URL slug of this page in this language (one path segment). */
  slug: string;
}

export interface Page {
  kind: 'page';
  guid: Guid;
  codeName: CodeName;
  contentType: CodeName;
  channel: CodeName;
  /** Guid of the parent page in the same channel; absent for a root page. */
  parent?: Guid;
  /** Position among its siblings (ascending). */
  order: number;
  fields: FieldValues;
  variants: Record<LanguageCode, PageVariant>;
}

export interface AssetFolder {
  kind: 'assetFolder';
  guid: Guid;
  codeName: CodeName;
  displayName: string;
}

export interface AssetMetadata {
  title?: string;
  alt?: string;
}

export interface Asset {
  kind: 'asset';
  guid: Guid;
  codeName: CodeName;
  folder: CodeName;
  /** Name of the binary file beside the YAML file, e.g. `espresso.jpg`. */
  fileName: string;
  mediaType: string;
  /** Size of the binary in bytes. Absent for an external asset (then `source.size`). */
  size?: number;
  /** Lower-case hex sha256 of the binary. Absent for an external asset (then `source.sha256`). */
  sha256?: string;
  /** Set for an external asset: its bytes live at a URL (object storage, a CDN, a DAM), not in git. */
  source?: AssetSource;
  /** Per-language title and alt text. */
  metadata: Record<LanguageCode, AssetMetadata>;
}

/** Where an external asset's bytes are, and what they must be. */
export interface AssetSource {
  /** `https://…` (or `http://` to a loopback host). */
  url: string;
  /** Lower-case hex sha256 of the bytes at the URL. */
  sha256: string;
  /** Size of the bytes at the URL. */
  size: number;
}

/** An asset's bytes, wherever they are: beside the file in git (or Git LFS), or at `source.url`. */
export function assetBytes(a: Asset): { size: number; sha256: string } {
  return a.source ? { size: a.source.size, sha256: a.source.sha256 } : { size: a.size as number, sha256: a.sha256 as string };
}

export type FerryObject =
  | Language
  | Workspace
  | Channel
  | ContentType
  | AssetFolder
  | Asset
  | ContentFolder
  | ContentItem
  | Page;

export type ObjectOfKind<K extends ObjectKind> = Extract<FerryObject, { kind: K }>;

/** The identity key of an object: its guid, or for languages `language:<code>`. */
export function objectKey(o: FerryObject): string {
  return o.kind === 'language' ? languageKey(o.codeName) : o.guid;
}

export function languageKey(code: string): string {
  return `language:${code}`;
}

export function hasVariants(o: FerryObject): o is ContentItem | Page {
  return o.kind === 'contentItem' || o.kind === 'page';
}
