import type Database from 'better-sqlite3';
import { guardStore } from './guard.js';

/** A published language variant, as the delivery API serves it. */
export interface PublishedVariant {
  key: string;
  kind: 'contentItem' | 'page';
  locale: string;
  contentType: string;
  displayName: string;
  slug?: string;
  /** Shared and localized field values merged. */
  fields: Record<string, unknown>;
  /** When Ferry last wrote the variant (the deployment's finish time). */
  updatedAt: string;
}

export interface VariantQuery {
  contentType?: string;
  locale?: string;
}

/**
 * The delivery API's first queries over published variants (SQLite only, not on the port; the
 * delivery and Sync APIs read through SqliteDeliveryReads): one prepared statement per filter
 * combination, so each can use the (content_type, locale, status, key) index.
 */
export class SqlitePublishedVariants {
  private readonly queries = new Map<string, Database.Statement>();

  constructor(
    private readonly db: Database.Database,
    private readonly file: string,
  ) {}

  /** Published variants, sorted by content type, locale and key; for the delivery API's paging. */
  list(q: VariantQuery & { limit: number; offset: number }): PublishedVariant[] {
    return guardStore(this.file, 'read published variants', () => {
      const rows = this.variantQuery(q, false).all(...variantParams(q), Math.max(0, Math.floor(q.limit)), Math.max(0, Math.floor(q.offset))) as {
        key: string;
        kind: 'contentItem' | 'page';
        locale: string;
        content_type: string;
        display_name: string;
        slug: string | null;
        data: string;
        updated_at: string;
      }[];
      return rows.map((r) => ({
        key: r.key,
        kind: r.kind,
        locale: r.locale,
        contentType: r.content_type,
        displayName: r.display_name,
        ...(r.slug === null ? {} : { slug: r.slug }),
        fields: JSON.parse(r.data) as Record<string, unknown>,
        updatedAt: r.updated_at,
      }));
    });
  }

  count(q: VariantQuery = {}): number {
    return guardStore(this.file, 'count published variants', () => this.variantQuery(q, true).pluck().get(...variantParams(q)) as number);
  }

  private variantQuery(q: VariantQuery, count: boolean): Database.Statement {
    const cacheKey = `${count ? 'count' : 'rows'}:${q.contentType !== undefined}:${q.locale !== undefined}`;
    let st = this.queries.get(cacheKey);
    if (!st) {
      // One statement per filter combination, so each can use the (content_type, locale, status, key) index.
      const where = ["status = 'published'"];
      if (q.contentType !== undefined) where.push('content_type = ?');
      if (q.locale !== undefined) where.push('locale = ?');
      st = this.db.prepare(
        count
          ? `SELECT count(*) FROM variants WHERE ${where.join(' AND ')}`
          : `SELECT key, kind, locale, content_type, display_name, slug, data, updated_at FROM variants WHERE ${where.join(' AND ')}
             ORDER BY content_type, locale, key LIMIT ? OFFSET ?`,
      );
      this.queries.set(cacheKey, st);
    }
    return st;
  }
}

function variantParams(q: VariantQuery): string[] {
  const params: string[] = [];
  if (q.contentType !== undefined) params.push(q.contentType);
  if (q.locale !== undefined) params.push(q.locale);
  return params;
}
