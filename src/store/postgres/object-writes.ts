import type pg from 'pg';
import { FerryError } from '../../errors/index.js';
import { objectKey, type ChangeEvent, type FerryObject, type StoreWrite } from '../../model/index.js';
import { contentReferenceKeys } from '../../model/references.js';
import { variantRowsOf } from '../variant-rows.js';
import { copyRows } from './copy-rows.js';
import { isConnectionLost, messageOf } from './connection.js';

/**
 * The general write path of a deployment (objects, variants, object_refs, change_log) inside the
 * caller's transaction, as multi-row statements: what commitDeployment runs unless bulk-load.ts
 * does. The counterpart of the SQLite store's object-writes.ts.
 */

/** Rows per multi-row statement (arrays through unnest: one statement, a fixed number of parameters). */
const BATCH = 2000;

/** A variant's change-log events of one deployment, summed up; `applied` once its row took them. */
export interface VariantChange {
  seq: number;
  published: number;
  publishedAt: string | null;
  applied: boolean;
}

/**
 * Inserts the events with seqs max + 1, … (the caller holds the change-log transaction lock) and
 * sums them up per variant, as the SQLite store does.
 */
export async function insertEvents(c: pg.PoolClient, id: number, events: readonly ChangeEvent[]): Promise<Map<string, VariantChange>> {
  const changes = new Map<string, VariantChange>();
  if (events.length === 0) return changes;
  const base = Number((await c.query('SELECT coalesce(max(seq), 0) AS s FROM change_log')).rows[0].s);
  for (let start = 0; start < events.length; start += BATCH) {
    const chunk = events.slice(start, start + BATCH);
    await c.query(
      `INSERT INTO change_log (seq, type, key, kind, content_type, locale, at, deployment_id)
       SELECT s, t, k, kd, ct, l, a, $8 FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS u(s, t, k, kd, ct, l, a)`,
      [
        chunk.map((_, i) => base + start + i + 1),
        chunk.map((e) => e.type),
        chunk.map((e) => e.key),
        chunk.map((e) => e.kind),
        chunk.map((e) => e.contentType ?? null),
        chunk.map((e) => e.locale ?? null),
        chunk.map((e) => e.at),
        id,
      ],
    );
  }
  events.forEach((e, i) => {
    if (e.locale === undefined || (e.kind !== 'contentItem' && e.kind !== 'page')) return;
    const k = `${e.key}\u0000${e.locale}`;
    const ch = changes.get(k) ?? { seq: 0, published: 0, publishedAt: null, applied: false };
    ch.seq = base + i + 1;
    if (e.type === 'entry_published') {
      ch.published += 1;
      ch.publishedAt = e.at;
    }
    changes.set(k, ch);
  });
  return changes;
}

type PutWrite = Extract<StoreWrite, { op: 'put' }>;

/**
 * The general path: writes in order, as runs of puts and runs of deletes, each run as a few
 * multi-row statements. A run ends where the order could matter (a key seen again).
 */
export async function applyWrites(c: pg.PoolClient, writes: readonly StoreWrite[], at: string, variantChanges: Map<string, VariantChange>, id: number, shown: string): Promise<void> {
  const deletedDrift = (await c.query('SELECT EXISTS (SELECT 1 FROM drift_deleted) AS d')).rows[0].d === true;
  let run: { op: 'put' | 'delete'; from: number; keys: Set<string>; writes: StoreWrite[] } | undefined;
  const flush = async () => {
    if (!run) return;
    const r = run;
    run = undefined;
    try {
      if (r.op === 'put') await putObjects(c, r.writes as PutWrite[], at, variantChanges, deletedDrift);
      else await deleteObjects(c, [...r.keys], deletedDrift);
    } catch (e) {
      throw runError(e, r.writes, r.from, id, shown);
    }
  };
  for (let i = 0; i < writes.length; i++) {
    const w = writes[i];
    const key = w.op === 'put' ? objectKey(w.object) : w.key;
    if (run && (run.op !== w.op || run.keys.has(key) || run.writes.length >= BATCH)) await flush();
    run ??= { op: w.op, from: i, keys: new Set(), writes: [] };
    run.keys.add(key);
    run.writes.push(w);
  }
  await flush();
}

const UPSERT_OBJECTS = `ON CONFLICT (key) DO UPDATE SET kind = excluded.kind, guid = excluded.guid, code_name = excluded.code_name, content_type = excluded.content_type,
  path = excluded.path, source_hash = excluded.source_hash, data = excluded.data, ferry_stamp = coalesce(objects.ferry_stamp, 0) + 1, drift = NULL`;
/** From this many rows a run is sent with COPY into a staging table, then upserted from it. */
const COPY_MIN_ROWS = 500;

async function putObjects(c: pg.PoolClient, puts: readonly PutWrite[], at: string, variantChanges: Map<string, VariantChange>, deletedDrift: boolean): Promise<void> {
  const objects = puts.map((w) => w.object);
  const keys = objects.map(objectKey);
  // Ferry's writes bump ferry_stamp and clear drift in the same statement (see the triggers).
  if (puts.length >= COPY_MIN_ROWS) {
    // Large runs: COPY's text format costs far less to encode than array parameters of JSON
    // (see bench/probes/pg-bulk-load.mjs), so rows go through a staging table.
    await c.query('CREATE TEMP TABLE IF NOT EXISTS ferry_put_objects (LIKE objects INCLUDING DEFAULTS) ON COMMIT DELETE ROWS');
    await copyRows(c, 'COPY ferry_put_objects (key, kind, guid, code_name, content_type, path, source_hash, data, ferry_stamp) FROM STDIN', function* () {
      for (let i = 0; i < puts.length; i++) {
        const o = objects[i];
        yield [keys[i], o.kind, o.kind === 'language' ? null : (o.guid ?? null), o.codeName, contentTypeOf(o), puts[i].path, puts[i].sourceHash, JSON.stringify(o), '1'];
      }
    });
    await c.query(`INSERT INTO objects (key, kind, guid, code_name, content_type, path, source_hash, data, ferry_stamp, drift)
      SELECT key, kind, guid, code_name, content_type, path, source_hash, data, 1, NULL FROM ferry_put_objects ${UPSERT_OBJECTS}`);
    await c.query('TRUNCATE ferry_put_objects');
  } else {
    await c.query(
      `INSERT INTO objects (key, kind, guid, code_name, content_type, path, source_hash, data, ferry_stamp, drift)
       SELECT k, kd, g, cn, ct, p, h, d, 1, NULL FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) AS u(k, kd, g, cn, ct, p, h, d)
       ${UPSERT_OBJECTS}`,
      [
        keys,
        objects.map((o) => o.kind),
        objects.map((o) => (o.kind === 'language' ? null : (o.guid ?? null))),
        objects.map((o) => o.codeName),
        objects.map(contentTypeOf),
        puts.map((w) => w.path),
        puts.map((w) => w.sourceHash),
        objects.map((o) => JSON.stringify(o)),
      ],
    );
  }
  if (deletedDrift) await c.query('DELETE FROM drift_deleted WHERE key = ANY($1::text[])', [keys]);
  await writeVariants(c, objects, at, variantChanges);
  await writeRefs(c, objects, true);
}

/** The objects' rows in object_refs (see contentReferenceKeys); `replace` drops their old ones first. */
export async function writeRefs(c: pg.PoolClient, objects: readonly FerryObject[], replace: boolean): Promise<void> {
  const owners = objects.filter((o) => o.kind === 'contentItem' || o.kind === 'page');
  if (owners.length === 0) return;
  if (replace) await c.query('DELETE FROM object_refs WHERE from_key = ANY($1::text[])', [owners.map(objectKey)]);
  const to: string[] = [];
  const from: string[] = [];
  for (const o of owners) {
    const key = objectKey(o);
    for (const k of contentReferenceKeys(o)) {
      to.push(k);
      from.push(key);
    }
  }
  if (to.length) await c.query('INSERT INTO object_refs (to_key, from_key) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING', [to, from]);
}

/**
 * Rewrites the variant rows of items and pages: rows of languages gone are deleted, the others
 * upserted, keeping what the Sync API tracks per variant (created_at, change_seq, version,
 * published_at) and taking this deployment's events for them.
 */
export async function writeVariants(c: pg.PoolClient, objects: readonly FerryObject[], at: string, variantChanges: Map<string, VariantChange>): Promise<void> {
  const owners = objects.filter((o) => o.kind === 'contentItem' || o.kind === 'page');
  if (owners.length === 0) return;
  const rows = owners.flatMap(variantRowsOf);
  // Per owner, its locales joined by a separator no language code contains: one probe per owner.
  const kept = owners.map((o) => Object.keys(o.variants ?? {}).join('\u001f'));
  await c.query(
    `DELETE FROM variants v USING unnest($1::text[], $2::text[]) AS n(key, locales)
     WHERE v.key = n.key AND v.locale <> ALL (string_to_array(n.locales, E'\\x1f'))`,
    [owners.map(objectKey), kept],
  );
  if (rows.length === 0) return;
  const change = rows.map((r) => {
    const ch = variantChanges.get(`${r.key}\u0000${r.locale}`);
    if (ch) ch.applied = true;
    return ch;
  });
  const upsert = `ON CONFLICT (key, locale) DO UPDATE SET kind = excluded.kind, status = excluded.status, content_type = excluded.content_type,
       display_name = excluded.display_name, slug = excluded.slug, data = excluded.data, updated_at = excluded.updated_at,
       change_seq = CASE WHEN excluded.change_seq > 0 THEN excluded.change_seq ELSE variants.change_seq END,
       version = variants.version + excluded.version, published_at = coalesce(excluded.published_at, variants.published_at)`;
  const cols = 'key, locale, kind, status, content_type, display_name, slug, data, updated_at, created_at, change_seq, version, published_at';
  if (rows.length >= COPY_MIN_ROWS) {
    await c.query('CREATE TEMP TABLE IF NOT EXISTS ferry_put_variants (LIKE variants INCLUDING DEFAULTS) ON COMMIT DELETE ROWS');
    await copyRows(c, `COPY ferry_put_variants (${cols}) FROM STDIN`, function* () {
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i];
        const ch = change[i];
        yield [r.key, r.locale, r.kind, r.status, r.contentType, r.displayName, r.slug ?? null, JSON.stringify(r.fields), at, at, String(ch?.seq ?? 0), String(ch?.published ?? 0), ch?.publishedAt ?? null];
      }
    });
    await c.query(`INSERT INTO variants (${cols}) SELECT ${cols} FROM ferry_put_variants ${upsert}`);
    await c.query('TRUNCATE ferry_put_variants');
    return;
  }
  await c.query(
    `INSERT INTO variants (${cols})
     SELECT k, l, kd, st, ct, dn, sl, d, $9, $9, cs, ver, pa
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $10::bigint[], $11::int[], $12::text[])
       AS u(k, l, kd, st, ct, dn, sl, d, cs, ver, pa)
     ${upsert}`,
    [
      rows.map((r) => r.key),
      rows.map((r) => r.locale),
      rows.map((r) => r.kind),
      rows.map((r) => r.status),
      rows.map((r) => r.contentType),
      rows.map((r) => r.displayName),
      rows.map((r) => r.slug ?? null),
      rows.map((r) => JSON.stringify(r.fields)),
      at,
      change.map((ch) => ch?.seq ?? 0),
      change.map((ch) => ch?.published ?? 0),
      change.map((ch) => ch?.publishedAt ?? null),
    ],
  );
}

async function deleteObjects(c: pg.PoolClient, keys: string[], deletedDrift: boolean): Promise<void> {
  // Mark first, so the delete trigger knows these deletions are Ferry's own, not drift.
  await c.query('UPDATE objects SET ferry_stamp = -1 WHERE key = ANY($1::text[])', [keys]);
  await c.query('DELETE FROM objects WHERE key = ANY($1::text[])', [keys]);
  await c.query('DELETE FROM object_refs WHERE from_key = ANY($1::text[])', [keys]);
  if (deletedDrift) await c.query('DELETE FROM drift_deleted WHERE key = ANY($1::text[])', [keys]);
}

/** Variants with events but no write in this deployment: one UPDATE for all of them. */
export async function applyRemainingVariantChanges(c: pg.PoolClient, variantChanges: Map<string, VariantChange>): Promise<void> {
  const rest = [...variantChanges].filter(([, ch]) => !ch.applied);
  if (rest.length === 0) return;
  const split = rest.map(([k]) => k.split('\u0000'));
  await c.query(
    `UPDATE variants v SET change_seq = u.s, version = v.version + u.p, published_at = coalesce(u.a, v.published_at)
     FROM unnest($1::text[], $2::text[], $3::bigint[], $4::int[], $5::text[]) AS u(k, l, s, p, a) WHERE v.key = u.k AND v.locale = u.l`,
    [split.map((s) => s[0]), split.map((s) => s[1]), rest.map(([, ch]) => ch.seq), rest.map(([, ch]) => ch.published), rest.map(([, ch]) => ch.publishedAt)],
  );
}

/** Items and pages name their content type; other kinds have none. */
export function contentTypeOf(o: FerryObject): string | null {
  return o.kind === 'contentItem' || o.kind === 'page' ? (o.contentType ?? null) : null;
}

function describeWrite(w: StoreWrite): string {
  const o = w.op === 'put' ? (w.object as Partial<FerryObject> | undefined) : undefined;
  return w.op === 'put' ? `put ${String(o?.kind)} ${String(o?.codeName)}` : `delete ${w.kind} ${w.key}`;
}

export function writeError(e: unknown, w: StoreWrite, i: number, id: number, shown: string): FerryError {
  const o = w.op === 'put' ? (w.object as Partial<FerryObject> | undefined) : undefined;
  return new FerryError('FERRY_E_STORE', `Deployment #${id}: write ${i + 1} (${describeWrite(w)}) failed in ${shown}: ${messageOf(e)}. Nothing was applied.`, {
    object: w.op === 'put' ? { kind: String(o?.kind), guid: (o as { guid?: string } | undefined)?.guid, codeName: o?.codeName } : { kind: w.kind },
    data: { url: shown, deploymentId: id, writeIndex: i },
    cause: e,
  });
}

/** A failed run of writes: names the single write when the run had one, else the range. */
function runError(e: unknown, writes: readonly StoreWrite[], from: number, id: number, shown: string): unknown {
  if (e instanceof FerryError || isConnectionLost(e)) return e;
  if (writes.length === 1) return writeError(e, writes[0], from, id, shown);
  return new FerryError('FERRY_E_STORE', `Deployment #${id}: writes ${from + 1}–${from + writes.length} (${describeWrite(writes[0])} … ${describeWrite(writes[writes.length - 1])}) failed in ${shown}: ${messageOf(e)}. Nothing was applied.`, {
    data: { url: shown, deploymentId: id, writeIndex: from, writeCount: writes.length },
    cause: e,
  });
}
