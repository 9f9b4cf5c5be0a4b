import { type ContentType, type Language } from '../../model/index.js';
import type { DeliveryReads } from './delivery-reads.js';

/** Content types and languages of the store, as every delivery request needs them. */
export interface CatalogState {
  contentTypes: ReadonlyMap<string, ContentType>;
  languages: readonly Language[];
  /** The default language's code (the first language when none is marked default). */
  defaultLocale?: string;
  /** Language codes by lower case, so `en-us` finds `en-US` (Contentstack's codes are lower case). */
  localeByLowerCase: ReadonlyMap<string, string>;
}

/**
 * Caches the catalog until a deployment finishes (one indexed query a request tells), so a page
 * does not re-read and re-parse every content type.
 */
export class Catalog {
  private revision: string | undefined;
  private state: CatalogState | undefined;
  /** Content type of referenced items by guid (pages of a sync reference the same items again and again). */
  private readonly referenceTypes = new Map<string, string>();

  constructor(
    private readonly reads: DeliveryReads,
    private readonly maxReferenceTypes = 100_000,
  ) {}

  /** The catalog as `reads` (the request's snapshot) sees it. */
  async get(reads: DeliveryReads = this.reads): Promise<CatalogState> {
    const revision = await reads.revision();
    if (this.state && revision === this.revision) return this.state;
    this.referenceTypes.clear();
    const languages = await reads.languages();
    const state: CatalogState = {
      contentTypes: new Map((await reads.contentTypes()).map((t) => [t.codeName, t])),
      languages,
      defaultLocale: (languages.find((l) => l.isDefault) ?? languages[0])?.codeName,
      localeByLowerCase: new Map(languages.map((l) => [l.codeName.toLowerCase(), l.codeName])),
    };
    this.state = state;
    this.revision = revision;
    return state;
  }

  /** Content type code names of items and pages by guid; call after `get()` in the same request. */
  async contentTypesOf(reads: DeliveryReads, keys: readonly string[]): Promise<ReadonlyMap<string, string>> {
    const missing = keys.filter((k) => !this.referenceTypes.has(k));
    if (missing.length > 0) {
      if (this.referenceTypes.size + missing.length > this.maxReferenceTypes) this.referenceTypes.clear();
      for (const [k, v] of await reads.contentTypesOfKeys(missing)) this.referenceTypes.set(k, v);
    }
    const out = new Map<string, string>();
    for (const k of keys) {
      const t = this.referenceTypes.get(k);
      if (t !== undefined) out.set(k, t);
    }
    return out;
  }
}
