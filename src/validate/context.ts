import type { ErrorCode } from '../errors/catalog.js';
import type { ObjectRef } from '../errors/ferry-error.js';
import type { RepositoryConfig } from '../model/config.js';
import type { Diagnostic, Severity } from '../model/diagnostic.js';
import { OBJECT_KINDS, type FerryObject, type ObjectKind, type ObjectOfKind } from '../model/objects.js';
import type { Snapshot, SnapshotEntry } from '../model/snapshot.js';
import type { ValidatorCodeCache } from './field-schema.js';

export interface ValidateOptions {
  /** Text of a file, for mapping pointers to line/column (called only for files with findings). */
  sourceText?: (path: string) => string | undefined;
  /** Size and sha256 of asset binaries present, by repository path (of the object, for a Git LFS pointer). */
  binaries: ReadonlyMap<string, { size: number; sha256: string; lfs?: boolean }>;
  /**
   * Restrict the per-object rules of items, pages and assets to these keys (changed objects and
   * their referrers, see `findReferrers`); undefined = all. Rules over supporting objects
   * (languages, channels, content types) and duplicate checks always cover the whole snapshot.
   */
  only?: ReadonlySet<string>;
  /**
   * Every decoded entry, including those that lost to another file with the same key when the
   * snapshot was keyed by guid. Duplicate guids can only be found with it; without it the
   * snapshot's entries are used.
   */
  allEntries?: readonly SnapshotEntry[];
  /** Keeps content types' compiled field validators between processes (see ValidatorCodeCache). */
  validatorCodeCache?: ValidatorCodeCache;
}

/** Kinds whose per-object rules honour `only`. */
const SCOPED_KINDS: ReadonlySet<ObjectKind> = new Set(['contentItem', 'page', 'asset']);

/** What every rule gets: the snapshot, indexes over it, and a way to report. */
export class ValidationContext {
  readonly diagnostics: Diagnostic[] = [];
  private readonly byKind = new Map<ObjectKind, SnapshotEntry[]>();
  private readonly byCodeName = new Map<ObjectKind, Map<string, SnapshotEntry>>();

  constructor(
    readonly snapshot: Snapshot,
    readonly config: RepositoryConfig,
    readonly opts: ValidateOptions,
  ) {
    for (const kind of OBJECT_KINDS) {
      this.byKind.set(kind, []);
      this.byCodeName.set(kind, new Map());
    }
    for (const entry of snapshot.entries.values()) {
      this.byKind.get(entry.kind)?.push(entry);
      const names = this.byCodeName.get(entry.kind);
      // The first of two objects with one code name wins here; the duplicates rule reports both.
      if (names && !names.has(entry.codeName)) names.set(entry.codeName, entry);
    }
  }

  /** Every entry of one kind, in snapshot order. */
  entriesOf<K extends ObjectKind>(kind: K): SnapshotEntry<ObjectOfKind<K>>[] {
    return (this.byKind.get(kind) ?? []) as SnapshotEntry<ObjectOfKind<K>>[];
  }

  /** Entries of one kind the per-object rules should look at (honours `only` for items, pages, assets). */
  scopedEntriesOf<K extends ObjectKind>(kind: K): SnapshotEntry<ObjectOfKind<K>>[] {
    const all = this.entriesOf(kind);
    const only = this.opts.only;
    if (!only || !SCOPED_KINDS.has(kind)) return all;
    return all.filter((e) => only.has(e.key));
  }

  /** The object of a kind with a code name (languages: their code). */
  byName<K extends ObjectKind>(kind: K, codeName: string): SnapshotEntry<ObjectOfKind<K>> | undefined {
    return this.byCodeName.get(kind)?.get(codeName) as SnapshotEntry<ObjectOfKind<K>> | undefined;
  }

  /**
   * Whether references into this kind can be checked here: a repository that leaves a kind out
   * (config `kinds`) does not hold its objects, so references to them are the target's business.
   */
  holds(kind: ObjectKind): boolean {
    return this.config.kinds.includes(kind);
  }

  report(entry: SnapshotEntry, code: ErrorCode, message: string, pointer?: string, severity: Severity = 'error'): void {
    this.diagnostics.push({
      code,
      severity,
      message,
      file: entry.path,
      object: objectRef(entry.object),
      ...(pointer !== undefined ? { pointer } : {}),
    });
  }
}

export function objectRef(o: FerryObject): ObjectRef {
  return o.kind === 'language' ? { kind: o.kind, codeName: o.codeName } : { kind: o.kind, guid: o.guid, codeName: o.codeName };
}

/** Human name of a kind for messages. */
export const KIND_LABEL: Readonly<Record<ObjectKind, string>> = {
  language: 'language',
  workspace: 'workspace',
  channel: 'channel',
  contentType: 'content type',
  assetFolder: 'asset folder',
  asset: 'asset',
  contentFolder: 'content folder',
  contentItem: 'content item',
  page: 'page',
};
