import type { Change, FerryObject, ObjectKind, SnapshotEntry } from '../model/index.js';
import { assertNever } from '../model/index.js';

/** What part of a changeset to keep. Every filter given must match (they combine with AND). */
export interface DiffFilter {
  /** Keep only objects of these kinds. */
  kinds?: readonly ObjectKind[];
  /**
   * Keep only changes to these language variants. An update or rename is kept when at least one
   * of its field changes is in one of these languages, and its field list is narrowed to those
   * changes (language-neutral changes such as shared fields, `parent` or a code name are dropped).
   * A create or delete is kept when the object has a variant (items, pages) or metadata (assets)
   * in one of them. `language` objects with one of these codes are kept whole. Kinds without
   * per-language data (content types, channels, …) are dropped.
   */
  languages?: readonly string[];
  /**
   * Keep only changes whose file (before or after; for assets also the binary beside it) is one
   * of these paths or lies below one of these folders, as git pathspecs do: `content/items`
   * matches `content/items/article/x.yaml` but not `content/items-old/x.yaml`. Paths are relative
   * to the repository root, POSIX separators.
   */
  paths?: readonly string[];
}

/** Compiled filter; `undefined` members mean "everything". */
export interface CompiledFilter {
  kinds?: ReadonlySet<ObjectKind>;
  languages?: ReadonlySet<string>;
  paths?: readonly string[];
}

export function compileFilter(f: DiffFilter = {}): CompiledFilter {
  const out: CompiledFilter = {};
  if (f.kinds) out.kinds = new Set(f.kinds);
  if (f.languages) out.languages = new Set(f.languages);
  if (f.paths) {
    const prefixes = f.paths.map(normalizePrefix);
    // An empty prefix (`.` or the root) keeps everything.
    if (!prefixes.includes('')) out.paths = prefixes;
  }
  return out;
}

function normalizePrefix(p: string): string {
  let s = p.replace(/\\/g, '/');
  while (s.startsWith('./')) s = s.slice(2);
  if (s === '.') return '';
  return s.replace(/\/+$/, '');
}

/** Checks that need no field-level diff: kind and paths. Run before diffing to save the work. */
export function entryPasses(f: CompiledFilter, kind: ObjectKind, entries: readonly (SnapshotEntry | undefined)[]): boolean {
  if (f.kinds && !f.kinds.has(kind)) return false;
  if (!f.paths) return true;
  for (const e of entries) {
    if (!e) continue;
    for (const p of entryPaths(e)) if (underAny(p, f.paths)) return true;
  }
  return false;
}

function entryPaths(e: SnapshotEntry): string[] {
  if (e.object.kind !== 'asset' || typeof e.object.fileName !== 'string') return [e.path];
  const slash = e.path.lastIndexOf('/');
  return [e.path, `${e.path.slice(0, slash + 1)}${e.object.fileName}`];
}

function underAny(path: string, prefixes: readonly string[]): boolean {
  return prefixes.some((p) => path === p || (path.startsWith(p) && path.charCodeAt(p.length) === 47 /* / */));
}

/** The language filter: returns the change to keep (possibly with fewer fields), or undefined. */
export function narrowToLanguages(c: Change, languages: ReadonlySet<string> | undefined): Change | undefined {
  if (!languages) return c;
  switch (c.op) {
    case 'create':
      return objectHasLanguage(c.after.object, languages) ? c : undefined;
    case 'delete':
      return objectHasLanguage(c.before.object, languages) ? c : undefined;
    case 'update':
    case 'rename': {
      if (c.kind === 'language') return objectHasLanguage(c.after.object, languages) ? c : undefined;
      const fields = c.fields.filter((f) => f.language !== undefined && languages.has(f.language));
      if (fields.length === 0) return undefined;
      return fields.length === c.fields.length ? c : { ...c, fields };
    }
    default:
      return assertNever(c);
  }
}

function objectHasLanguage(o: FerryObject, languages: ReadonlySet<string>): boolean {
  switch (o.kind) {
    case 'language':
      return languages.has(o.codeName);
    case 'contentItem':
    case 'page':
      return Object.keys(o.variants ?? {}).some((l) => languages.has(l));
    case 'asset':
      return Object.keys(o.metadata ?? {}).some((l) => languages.has(l));
    case 'workspace':
    case 'channel':
    case 'contentType':
    case 'assetFolder':
    case 'contentFolder':
      return false;
    default:
      return assertNever(o);
  }
}
