import { FerryError } from '../../errors/index.js';
import { contentReferenceKeys, objectKey, type ChangeEvent, type FerryObject, type StoreWrite } from '../../model/index.js';
import { variantRowsOf } from '../variant-rows.js';
import { messageOf } from './guard.js';
import type { Statements } from './statements.js';

/**
 * The rows one write of a deployment touches (objects, variants, object_refs, change_log), inside
 * the caller's transaction: the general path of commitDeployment, and the parts bulk-load.ts shares.
 */
export class SqliteObjectWrites {
  constructor(private readonly s: Statements) {}

  /**
   * Inserts a deployment's change-log events and sums them up per variant: the Sync API pages an
   * initial sync over variants whose last event is at or before its start (change_seq), and
   * counts versions and the last publication per variant.
   */
  insertEvents(id: number, events: readonly ChangeEvent[]): Map<string, VariantChange> {
    const changes = new Map<string, VariantChange>();
    for (const e of events) {
      const seq = Number(this.s.insertChange.run(e.type, e.key, e.kind, e.contentType ?? null, e.locale ?? null, e.at, id).lastInsertRowid);
      if (e.locale === undefined || (e.kind !== 'contentItem' && e.kind !== 'page')) continue;
      const k = `${e.key}\u0000${e.locale}`;
      const c = changes.get(k) ?? { seq: 0, published: 0, publishedAt: null, applied: false };
      c.seq = seq;
      if (e.type === 'entry_published') {
        c.published += 1;
        c.publishedAt = e.at;
      }
      changes.set(k, c);
    }
    return changes;
  }

  applyWrite(w: StoreWrite, at: string, deletedDrift: boolean, variantChanges: Map<string, VariantChange>): void {
    const s = this.s;
    switch (w.op) {
      case 'put': {
        const o = w.object;
        const key = objectKey(o);
        s.upsertObject.run(key, o.kind, o.kind === 'language' ? null : (o.guid ?? null), o.codeName, contentTypeOf(o), w.path, w.sourceHash, JSON.stringify(o));
        if (deletedDrift) s.clearDeletedDrift.run(key);
        this.writeVariants(o, at, variantChanges);
        this.writeRefs(key, o, true);
        return;
      }
      case 'delete':
        // Mark first, so the delete trigger knows this deletion is Ferry's own, not drift.
        s.markDeleting.run(w.key);
        s.deleteObject.run(w.key);
        s.deleteRefsFrom.run(w.key);
        if (deletedDrift) s.clearDeletedDrift.run(w.key);
        return;
      default: {
        const never: never = w;
        throw new FerryError('FERRY_E_INTERNAL', `Unknown store write ${JSON.stringify(never)}`);
      }
    }
  }

  /** The object's rows in object_refs (see contentReferenceKeys); `replace` drops its old ones first. */
  writeRefs(key: string, o: FerryObject, replace: boolean): void {
    if (o.kind !== 'contentItem' && o.kind !== 'page') return;
    if (replace) this.s.deleteRefsFrom.run(key);
    for (const to of contentReferenceKeys(o)) this.s.insertRef.run(to, key);
  }

  /**
   * Rewrites the variant rows of an object (none for kinds without variants). Rows of languages
   * still present are updated in place, keeping what the Sync API tracks per variant (created_at,
   * change_seq, version, published_at).
   */
  writeVariants(o: FerryObject, at: string, variantChanges?: Map<string, VariantChange>): void {
    const rows = variantRowsOf(o);
    this.s.deleteOtherVariants.run(objectKey(o), JSON.stringify(rows.map((v) => v.locale)));
    for (const v of rows) {
      const c = variantChanges?.get(`${v.key}\u0000${v.locale}`);
      if (c) c.applied = true;
      const params = {
        key: v.key,
        locale: v.locale,
        kind: v.kind,
        status: v.status,
        contentType: v.contentType,
        displayName: v.displayName,
        slug: v.slug ?? null,
        data: JSON.stringify(v.fields),
        at,
        seq: c ? c.seq : null,
        published: c ? c.published : 0,
        publishedAt: c ? c.publishedAt : null,
      };
      // Most writes keep a variant's kind, status and content type: then an UPDATE that leaves
      // the indexed columns out of its SET does not rewrite the sync indexes (an upsert setting
      // them rewrote both index entries even for equal values: ~3x the pages written).
      if (this.s.updateVariantContent.run(params).changes === 0) this.s.upsertVariant.run(params);
    }
  }
}

/** A variant's change-log events of one deployment, summed up; `applied` once its row took them. */
export interface VariantChange {
  seq: number;
  published: number;
  publishedAt: string | null;
  applied: boolean;
}

/** Items and pages name their content type; other kinds have none. */
export function contentTypeOf(o: FerryObject): string | null {
  return o.kind === 'contentItem' || o.kind === 'page' ? (o.contentType ?? null) : null;
}

export function writeError(e: unknown, w: StoreWrite, i: number, id: number, file: string): FerryError {
  if (e instanceof FerryError) return e;
  const o = w.op === 'put' ? (w.object as Partial<FerryObject> | undefined) : undefined;
  const what = w.op === 'put' ? `put ${String(o?.kind)} ${String(o?.codeName)}` : `delete ${w.kind} ${w.key}`;
  return new FerryError('FERRY_E_STORE', `Deployment #${id}: write ${i + 1} (${what}) failed in ${file}: ${messageOf(e)}. Nothing was applied.`, {
    object: w.op === 'put' ? { kind: String(o?.kind), guid: (o as { guid?: string } | undefined)?.guid, codeName: o?.codeName } : { kind: w.kind },
    data: { path: file, deploymentId: id, writeIndex: i },
    cause: e,
  });
}
