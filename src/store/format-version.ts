/**
 * Version of what a store holds and how it is laid out. A store written with a newer format is
 * refused (FERRY_E_STORE_FORMAT); an older one is migrated forward when it is opened.
 * 2: content folders (kind `contentFolder`), items' folders, workspaces' workflows and variants'
 * workflow steps (SQLite migration 6, PostgreSQL migration 5).
 */
export const STORE_FORMAT_VERSION = 2;
