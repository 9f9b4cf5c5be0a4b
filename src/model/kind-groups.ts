import type { ObjectKind } from './objects.js';

/**
 * Kinds other objects name by code name (languages, workspaces, channels, content types, asset
 * folders), and content folders (an item's path is checked against the whole folder tree): a
 * deployment writes them first (the `supporting` wave), and validating any change needs the
 * target's copies of all of them (they are few).
 */
export const SUPPORTING_KINDS = ['language', 'workspace', 'channel', 'contentType', 'assetFolder', 'contentFolder'] as const satisfies readonly ObjectKind[];
export const SUPPORTING_KIND_SET: ReadonlySet<ObjectKind> = new Set(SUPPORTING_KINDS);

/** Kinds other objects reference by guid (items, pages, assets, content folders): deleting one may break its referrers. */
export const REFERENCEABLE_KINDS: ReadonlySet<ObjectKind> = new Set(['contentItem', 'page', 'asset', 'contentFolder']);
