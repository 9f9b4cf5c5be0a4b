import { InternalError } from '../errors/ferry-error.js';
import type { ObjectKind } from './objects.js';
import type { SnapshotEntry } from './snapshot.js';

/** One changed field of an object. `language` is set for localized values in a variant. */
export interface FieldChange {
  /** Dotted path inside the object for people: `displayName`, `fields.price`, `variants.en-US.fields.title`, `variants.en-US.status`, `parent`, `order`. */
  path: string;
  /** The field or property name (last meaningful segment): `title`, `status`, `slug`. */
  name: string;
  language?: string;
  before?: unknown;
  after?: unknown;
}

interface ChangeBase {
  kind: ObjectKind;
  key: string;
  codeName: string;
  /** Path of the object's file in the head snapshot (for deletes: in the base). */
  path: string;
}

export interface CreateChange extends ChangeBase {
  op: 'create';
  after: SnapshotEntry;
}
export interface UpdateChange extends ChangeBase {
  op: 'update';
  before: SnapshotEntry;
  after: SnapshotEntry;
  fields: FieldChange[];
}
export interface DeleteChange extends ChangeBase {
  op: 'delete';
  before: SnapshotEntry;
}
/** Same identity, new code name or path; may carry field changes too. */
export interface RenameChange extends ChangeBase {
  op: 'rename';
  fromPath: string;
  fromCodeName: string;
  before: SnapshotEntry;
  after: SnapshotEntry;
  fields: FieldChange[];
}

export type Change = CreateChange | UpdateChange | DeleteChange | RenameChange;
export type ChangeOp = Change['op'];

/** How people name an object: its kind and code name. */
export interface ObjectName {
  kind: ObjectKind;
  codeName: string;
}

export interface Changeset {
  /** Sorted by kind order, then code name, then key. */
  changes: Change[];
  base?: string;
  head?: string;
  /**
   * Names of the objects the changed field values refer to by guid (a page's parent, referenced
   * items, pages, assets), so reports read `page sessions` instead of a raw guid. Filled by the
   * use case that knows the snapshots; renderers show a guid without a name as it is.
   */
  names?: Readonly<Record<string, ObjectName>>;
}

/** The end of a switch over a closed union: reaching it is a bug in Ferry, reported as one. */
export function assertNever(x: never): never {
  throw new InternalError(`unexpected value: ${JSON.stringify(x)}`);
}
