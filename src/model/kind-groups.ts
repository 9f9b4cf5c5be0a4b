import type { ObjectKind } from './objects.js';

/**
 * Kinds other objects name by code name (languages, workspaces, channels, content types, asset
 * folders): a deployment writes them first (the `supporting` wave), and validating any change
 * needs the target's copies of all of them (they are few).
 */
export const SUPPORTING_KINDS = ['language', 'workspace', 'channel', 'contentType', 'assetFolder'] as const satisfies readonly ObjectKind[];
export const SUPPORTING_KIND_SET: ReadonlySet<ObjectKind> = new Set(SUPPORTING_KINDS);

/** Kinds other objects reference by guid (items, pages, assets): deleting one may break its referrers. */
export const REFERENCEABLE_KINDS: ReadonlySet<ObjectKind> = new Set(['contentItem', 'page', 'asset']);
