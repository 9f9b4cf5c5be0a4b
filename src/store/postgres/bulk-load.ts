import type pg from 'pg';
import { objectKey, type StoreWrite } from '../../model/index.js';
import { contentReferenceKeys } from '../../model/references.js';
import { variantRowsOf } from '../variant-rows.js';
import type { VariantChange } from './object-writes.js';
import { copyRows } from './copy-rows.js';

type PutWrite = Extract<StoreWrite, { op: 'put' }>;

/**
 * The first deployment into an empty store (a new environment, a full restore): every write is
 * an insert, streamed with `COPY … FROM STDIN` into objects and variants, in key order. Measured
 * against the general path's multi-row `INSERT … SELECT FROM unnest(…)` statements (see
 * README "PostgreSQL bulk loads"), COPY was the faster of the two for inserts into empty tables;
 * the general path keeps multi-row statements because it must upsert.
 */
export async function bulkLoadPg(client: pg.PoolClient, writes: readonly StoreWrite[], variantChange: Map<string, VariantChange>, at: string): Promise<void> {
  const puts = writes
    .filter((w): w is PutWrite => w.op === 'put')
    .map((w) => ({ w, key: objectKey(w.object) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  // A key put twice: the later put wins, as in the general path.
  const last = new Map<string, PutWrite>();
  for (const p of puts) last.set(p.key, p.w);
  await copyRows(client, 'COPY objects (key, kind, guid, code_name, content_type, path, source_hash, data, ferry_stamp) FROM STDIN', function* () {
    for (const [key, w] of last) {
      const o = w.object;
      yield [key, o.kind, o.kind === 'language' ? null : (o.guid ?? null), o.codeName, o.kind === 'contentItem' || o.kind === 'page' ? o.contentType : null, w.path, w.sourceHash, JSON.stringify(o), '1'];
    }
  });
  await copyRows(
    client,
    'COPY variants (key, locale, kind, status, content_type, display_name, slug, data, updated_at, created_at, change_seq, version, published_at) FROM STDIN',
    function* () {
      for (const w of last.values()) {
        for (const v of variantRowsOf(w.object)) {
          const ch = variantChange.get(`${v.key}\u0000${v.locale}`);
          if (ch) ch.applied = true;
          yield [v.key, v.locale, v.kind, v.status, v.contentType, v.displayName, v.slug ?? null, JSON.stringify(v.fields), at, at, String(ch?.seq ?? 0), String(ch?.published ?? 0), ch?.publishedAt ?? null];
        }
      }
    },
  );
  await copyRows(client, 'COPY object_refs (to_key, from_key) FROM STDIN', function* () {
    for (const [key, w] of last) {
      for (const to of new Set(contentReferenceKeys(w.object))) yield [to, key];
    }
  });
}
