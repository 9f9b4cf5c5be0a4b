/**
 * Version of what a store holds and how it is laid out. A store written with a newer format is
 * refused (FERRY_E_STORE_FORMAT); an older one is migrated forward when it is opened.
 */
export const STORE_FORMAT_VERSION = 1;
