/**
 * Where each object lives in the repository folder (docs/file-format.md), and what a path is from
 * the path alone. Paths are POSIX, relative to the repository root; `folder` is the repository
 * folder from repository.config.yaml (`content`, or `.` for the root itself).
 */
import { FerryError } from '../errors/index.js';
import {
  CODE_NAME_RE,
  LANGUAGE_CODE_RE,
  OBJECT_KINDS,
  type Asset,
  type FerryObject,
  type ObjectKind,
} from '../model/index.js';

/** The folder (inside the repository folder) that holds each kind. */
export const KIND_FOLDER: Readonly<Record<ObjectKind, string>> = {
  language: 'languages',
  workspace: 'workspaces',
  channel: 'channels',
  contentType: 'content-types',
  assetFolder: 'assets',
  asset: 'assets',
  contentFolder: 'items',
  contentItem: 'items',
  page: 'pages',
};

/** File name of each kind's JSON Schema in `schemas/` at the repository root. */
export const SCHEMA_FILE: Readonly<Record<ObjectKind, string>> = {
  language: 'language.schema.json',
  workspace: 'workspace.schema.json',
  channel: 'channel.schema.json',
  contentType: 'content-type.schema.json',
  assetFolder: 'asset-folder.schema.json',
  asset: 'asset.schema.json',
  contentFolder: 'content-folder.schema.json',
  contentItem: 'content-item.schema.json',
  page: 'page.schema.json',
};

/** Folder holding the schemas, at the repository root. */
export const SCHEMAS_DIR = 'schemas';
/** Extension of every object file. */
export const YAML_EXTENSION = '.yaml';
/** An asset folder's own file, inside `assets/<codeName>/`. */
export const ASSET_FOLDER_FILE = '_folder.yaml';
/** A content folder's own file, inside `items/<folder path>/` (the same name as an asset folder's). */
export const CONTENT_FOLDER_FILE = ASSET_FOLDER_FILE;

/**
 * Where the folder tree puts objects whose path depends on it: a content folder's path of code
 * names (`events/2026`) by its guid or its `folder:` reference (see FolderTree). Undefined: the
 * folder is unknown, or its chain is broken.
 */
export type FolderPaths = (ref: string) => string | undefined;

/**
 * Names an asset binary may have: letters (any case), digits, `.`, `_`, `-`, an extension, and
 * nothing a folder listing would read as something else (YAML files, README.md, dotfiles).
 */
export const ASSET_FILE_NAME_PATTERN =
  '^(?!README\\.md$)(?!.*\\.[Yy][Aa]?[Mm][Ll]$)[A-Za-z0-9][A-Za-z0-9._-]*\\.[A-Za-z0-9]+$';
export const ASSET_FILE_NAME_RE = new RegExp(ASSET_FILE_NAME_PATTERN);

export type PathClass =
  /** `codeName`: what the path says the object's code name is (a language's code). */
  | { type: 'object'; kind: ObjectKind; codeName: string }
  | { type: 'binary' }
  | { type: 'ignored' }
  | { type: 'outside' }
  | { type: 'unknown'; reason: string };

const KIND_FOLDERS: ReadonlySet<string> = new Set(Object.values(KIND_FOLDER));
const FOLDERS_BY_NAME: ReadonlyMap<string, ObjectKind> = new Map(
  OBJECT_KINDS.filter((k) => k !== 'assetFolder' && k !== 'asset' && k !== 'contentFolder').map((k) => [KIND_FOLDER[k], k]),
);
const KIND_FOLDER_LIST = [...KIND_FOLDERS].join(', ');
const CODE_NAME_RULE = 'lower-case letters, digits, `.`, `_` and `-`, starting with a letter or digit';

/** `content` → `content/`; `.`, `./` or `` → `` (the repository root). */
export function folderPrefix(folder: string): string {
  let f = folder;
  while (f.startsWith('./')) f = f.slice(2);
  while (f.endsWith('/')) f = f.slice(0, -1);
  return f === '' || f === '.' ? '' : `${f}/`;
}

/**
 * Why a repository-relative path is unsafe or malformed, or `undefined` when it is fine: absolute
 * paths, backslashes, empty, `.` or `..` segments, control characters.
 */
export function unsafePathReason(path: string): string | undefined {
  if (path === '') return 'the path is empty';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'the path must be relative to the repository root';
  if (path.includes('\\')) return 'the path must use `/` separators, not `\\`';
  if (/[\x00-\x1f\x7f]/.test(path)) return 'the path contains control characters';
  for (const segment of path.split('/')) {
    if (segment === '') return 'the path has an empty segment (`//` or a trailing `/`)';
    if (segment === '.' || segment === '..') return 'the path must not contain `.` or `..` segments';
  }
  return undefined;
}

/**
 * The expected path of an object's YAML file, relative to the repository root. Content folders
 * and the items in them need `folders` (the folder tree); without it, or when their folder's path
 * is not known, this throws FERRY_E_PATH.
 */
export function objectPath(object: FerryObject, folder: string, folders?: FolderPaths): string {
  const prefix = folderPrefix(folder);
  if (object.kind === 'contentFolder' || (object.kind === 'contentItem' && object.folder !== undefined)) {
    const dir = folderDirectory(object, folders);
    const name = object.kind === 'contentFolder' ? CONTENT_FOLDER_FILE : `${codeNameSegment(object.codeName, object)}${YAML_EXTENSION}`;
    return `${prefix}items/${dir}/${name}`;
  }
  switch (object.kind) {
    case 'language':
      return `${prefix}languages/${languageSegment(object.codeName, object)}${YAML_EXTENSION}`;
    case 'workspace':
    case 'channel':
    case 'contentType':
      return `${prefix}${KIND_FOLDER[object.kind]}/${codeNameSegment(object.codeName, object)}${YAML_EXTENSION}`;
    case 'assetFolder':
      return `${prefix}assets/${codeNameSegment(object.codeName, object)}/${ASSET_FOLDER_FILE}`;
    case 'asset':
      return `${prefix}assets/${codeNameSegment(object.folder, object)}/${codeNameSegment(object.codeName, object)}${YAML_EXTENSION}`;
    case 'contentItem':
      return `${prefix}items/${codeNameSegment(object.contentType, object)}/${codeNameSegment(object.codeName, object)}${YAML_EXTENSION}`;
    case 'page':
      return `${prefix}pages/${codeNameSegment(object.channel, object)}/${codeNameSegment(object.codeName, object)}${YAML_EXTENSION}`;
  }
}

/** Whether an object's path depends on the content folder tree (a folder, or an item in one). */
export function pathNeedsFolders(object: FerryObject): boolean {
  return object.kind === 'contentFolder' || (object.kind === 'contentItem' && object.folder !== undefined);
}

/** The folder path (`events/2026`) a content folder's own file or a foldered item's file sits in. */
function folderDirectory(object: FerryObject & { kind: 'contentFolder' | 'contentItem' }, folders: FolderPaths | undefined): string {
  const own = object.kind === 'contentFolder';
  const ref = own ? object.parent : object.folder;
  const parentPath = ref === undefined ? '' : folders?.(ref);
  if (parentPath === undefined) {
    throw new FerryError('FERRY_E_PATH', `${own ? 'parent' : 'folder'} \`${String(ref)}\` is not a content folder with a known path`, {
      object: { kind: object.kind, guid: object.guid, codeName: typeof object.codeName === 'string' ? object.codeName : undefined },
      hint: 'Give the guid (or code-name path) of an existing content folder whose parents do not loop.',
    });
  }
  if (parentPath !== '') for (const segment of parentPath.split('/')) codeNameSegment(segment, object);
  if (!own) return parentPath;
  const self = codeNameSegment(object.codeName, object);
  return parentPath === '' ? self : `${parentPath}/${self}`;
}

/** The path of an asset's binary file (beside its YAML file), relative to the repository root. */
export function assetBinaryPath(asset: Asset, folder: string): string {
  if (typeof asset.fileName !== 'string' || !ASSET_FILE_NAME_RE.test(asset.fileName)) {
    throw new FerryError('FERRY_E_PATH', `asset file name \`${String(asset.fileName)}\` cannot be used as a file name`, {
      object: { kind: 'asset', guid: asset.guid, codeName: asset.codeName },
      hint: 'Use letters, digits, `.`, `_` and `-`, with an extension (not .yaml), e.g. `espresso.jpg`.',
    });
  }
  return `${folderPrefix(folder)}assets/${codeNameSegment(asset.folder, asset)}/${asset.fileName}`;
}

/**
 * What a path is, from the path alone: an object file of some kind, an asset binary, a file Ferry
 * ignores (README.md, dotfiles), a file outside the repository folder, or something that does not
 * belong (with the reason). With folder `.`, only the kind folders count as inside: the rest of
 * the repository (config, schemas, code) is `outside`.
 */
export function classifyPath(path: string, folder: string): PathClass {
  const unsafe = unsafePathReason(path);
  if (unsafe !== undefined) return { type: 'unknown', reason: unsafe };
  const prefix = folderPrefix(folder);
  if (prefix !== '' && !path.startsWith(prefix)) return { type: 'outside' };
  const segments = path.slice(prefix.length).split('/');
  if (prefix === '' && (segments.length < 2 || !KIND_FOLDERS.has(segments[0]))) return { type: 'outside' };
  const name = segments[segments.length - 1];
  if (segments.some((s) => s.startsWith('.')) || name === 'README.md') return { type: 'ignored' };

  const top = segments[0];
  if (!KIND_FOLDERS.has(top)) {
    return {
      type: 'unknown',
      reason:
        segments.length === 1
          ? `only ${KIND_FOLDER_LIST} folders (and README.md) belong in the repository folder`
          : `\`${top}/\` is not a Ferry folder: use one of ${KIND_FOLDER_LIST}`,
    };
  }
  if (top === 'assets') return classifyAssetPath(segments);

  if (top === 'items') return classifyItemPath(segments);

  const kind = FOLDERS_BY_NAME.get(top) as ObjectKind;
  const nested = kind === 'page';
  const expected = nested ? 2 : 1;
  const pattern =
    kind === 'page'
        ? 'pages/<channel>/<codeName>.yaml'
        : kind === 'language'
          ? 'languages/<code>.yaml'
          : `${top}/<codeName>.yaml`;
  if (segments.length !== expected + 1) return { type: 'unknown', reason: `${kind} files live at ${pattern}` };
  if (nested) {
    const problem = codeNameProblem(segments[1], kind === 'page' ? 'channel' : 'content type');
    if (problem) return { type: 'unknown', reason: problem };
  }
  const base = yamlBaseName(name);
  if (typeof base !== 'string') return base;
  const problem = kind === 'language' ? languageProblem(base) : codeNameProblem(base, 'code name');
  return problem ? { type: 'unknown', reason: problem } : { type: 'object', kind, codeName: base };
}

/**
 * Path from a file's folder up to `schemas/<file>` at the repository root, as written in the
 * header comment: `content/items/article/x.yaml` → `../../../schemas/content-item.schema.json`.
 */
export function schemaRef(kind: ObjectKind, path: string): string {
  const depth = path.split('/').length - 1;
  return `${'../'.repeat(depth)}${SCHEMAS_DIR}/${SCHEMA_FILE[kind]}`;
}

/**
 * `items/<contentType>/<codeName>.yaml` (an item in no folder), `items/<folder path>/<codeName>.yaml`
 * (an item in a content folder) and `items/<folder path>/_folder.yaml` (the folder itself). Which
 * of the first two a path is, the file says; the folder tree checks it (validation).
 */
function classifyItemPath(segments: string[]): PathClass {
  if (segments.length < 3) {
    return { type: 'unknown', reason: 'contentItem files live at items/<contentType>/<codeName>.yaml or items/<folder path>/<codeName>.yaml' };
  }
  for (const dir of segments.slice(1, -1)) {
    const problem = codeNameProblem(dir, segments.length === 3 ? 'content type or content folder' : 'content folder');
    if (problem) return { type: 'unknown', reason: problem };
  }
  const name = segments[segments.length - 1];
  if (name === CONTENT_FOLDER_FILE) return { type: 'object', kind: 'contentFolder', codeName: segments[segments.length - 2] };
  const base = yamlBaseName(name);
  if (typeof base !== 'string') return base;
  const problem = codeNameProblem(base, 'code name');
  return problem ? { type: 'unknown', reason: problem } : { type: 'object', kind: 'contentItem', codeName: base };
}

function classifyAssetPath(segments: string[]): PathClass {
  if (segments.length !== 3) {
    return { type: 'unknown', reason: 'asset files live at assets/<folder>/<codeName>.yaml, their binaries beside them' };
  }
  const problem = codeNameProblem(segments[1], 'asset folder');
  if (problem) return { type: 'unknown', reason: problem };
  const name = segments[2];
  if (name === ASSET_FOLDER_FILE) return { type: 'object', kind: 'assetFolder', codeName: segments[1] };
  if (/\.ya?ml$/i.test(name)) {
    const base = yamlBaseName(name);
    if (typeof base !== 'string') return base;
    const p = codeNameProblem(base, 'code name');
    return p ? { type: 'unknown', reason: p } : { type: 'object', kind: 'asset', codeName: base };
  }
  if (!ASSET_FILE_NAME_RE.test(name)) {
    return {
      type: 'unknown',
      reason: `\`${name}\` is not a valid asset file name: use letters, digits, \`.\`, \`_\` and \`-\`, with an extension`,
    };
  }
  return { type: 'binary' };
}

/** The name without `.yaml`, or why the name is not an object file name. */
function yamlBaseName(name: string): string | PathClass {
  if (name.endsWith(YAML_EXTENSION)) return name.slice(0, -YAML_EXTENSION.length);
  if (/\.ya?ml$/i.test(name)) return { type: 'unknown', reason: `\`${name}\`: Ferry reads object files named \`.yaml\` (lower case)` };
  return { type: 'unknown', reason: `\`${name}\` is not an object file: object files end in \`.yaml\`` };
}

function codeNameProblem(segment: string, what: string): string | undefined {
  if (CODE_NAME_RE.test(segment)) return undefined;
  if (CODE_NAME_RE.test(segment.toLowerCase())) return `\`${segment}\` is not a valid ${what}: code names are lower case`;
  return `\`${segment}\` is not a valid ${what}: use ${CODE_NAME_RULE}`;
}

function languageProblem(segment: string): string | undefined {
  return LANGUAGE_CODE_RE.test(segment)
    ? undefined
    : `\`${segment}\` is not a language code such as \`en\` or \`en-US\``;
}

/** A code name that is about to become a path segment: refuse anything that is not one. */
function codeNameSegment(value: string, object: FerryObject): string {
  if (typeof value === 'string' && CODE_NAME_RE.test(value)) return value;
  throw unsafeSegment(value, object);
}

function languageSegment(value: string, object: FerryObject): string {
  if (typeof value === 'string' && LANGUAGE_CODE_RE.test(value)) return value;
  throw unsafeSegment(value, object);
}

function unsafeSegment(value: unknown, object: FerryObject): FerryError {
  const guid = 'guid' in object ? object.guid : undefined;
  return new FerryError('FERRY_E_PATH', `\`${String(value)}\` cannot be used in a file path: it is not a valid code name`, {
    object: { kind: object.kind, guid, codeName: typeof object.codeName === 'string' ? object.codeName : undefined },
    hint: `Code names use ${CODE_NAME_RULE}; language codes look like \`en\` or \`en-US\`.`,
  });
}
