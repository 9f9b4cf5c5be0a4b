import type { ObjectKind } from './objects.js';

/** Change-log event types, named as Contentstack's Sync API names them. */
export const CHANGE_EVENT_TYPES = [
  'entry_published',
  'entry_unpublished',
  'entry_deleted',
  'asset_published',
  'asset_unpublished',
  'asset_deleted',
  'content_type_deleted',
] as const;
export type ChangeEventType = (typeof CHANGE_EVENT_TYPES)[number];

/** One ordered row of the change log, written in the deployment's transaction. */
export interface ChangeEvent {
  /** Assigned by the store: strictly increasing. */
  seq?: number;
  type: ChangeEventType;
  key: string;
  kind: ObjectKind;
  /** Content type code name for entries; absent for assets. */
  contentType?: string;
  /** Language code for entries and asset metadata. */
  locale?: string;
  /** ISO timestamp (from the injected clock). */
  at: string;
  deploymentId?: number;
}
