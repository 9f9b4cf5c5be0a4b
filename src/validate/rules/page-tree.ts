import { compareCodePoints } from '../../model/compare.js';
import type { Page } from '../../model/objects.js';
import type { SnapshotEntry } from '../../model/snapshot.js';
import { KIND_LABEL, type ValidationContext } from '../context.js';

type PageEntry = SnapshotEntry<Page>;

/**
 * The page tree: each parent exists, is a page and sits in the same channel; parents never loop;
 * sibling pages (same channel and parent) have distinct slugs in each language.
 */
export function checkPageTree(ctx: ValidationContext): void {
  const scoped = ctx.scopedEntriesOf('page');
  if (scoped.length === 0) return;
  const pageOf = (key: string | undefined): PageEntry | undefined => {
    const e = key === undefined ? undefined : ctx.snapshot.entries.get(key);
    return e?.kind === 'page' ? (e as PageEntry) : undefined;
  };

  for (const entry of scoped) {
    const { parent, channel } = entry.object;
    if (parent === undefined) continue;
    const target = ctx.snapshot.entries.get(parent);
    if (!target) {
      ctx.report(entry, 'FERRY_E_PAGE_TREE', `parent: page ${parent} does not exist`, '/parent');
    } else if (target.kind !== 'page') {
      ctx.report(entry, 'FERRY_E_PAGE_TREE', `parent: ${parent} is ${KIND_LABEL[target.kind]} ${target.codeName}, not a page`, '/parent');
    } else if ((target.object as Page).channel !== channel) {
      ctx.report(entry, 'FERRY_E_PAGE_TREE', `parent: page ${target.codeName} is in channel ${(target.object as Page).channel}, not ${channel}`, '/parent');
    }
  }

  checkLoops(ctx, scoped, pageOf);
  checkSiblingSlugs(ctx, scoped);
}

function checkLoops(ctx: ValidationContext, scoped: readonly PageEntry[], pageOf: (key: string | undefined) => PageEntry | undefined): void {
  // Pages known to reach a root (or a broken parent, reported above); each walk stops at one.
  const settled = new Set<string>();
  for (const start of scoped) {
    const path: PageEntry[] = [];
    const onPath = new Set<string>();
    let cur: PageEntry | undefined = start;
    while (cur && !settled.has(cur.key) && !onPath.has(cur.key)) {
      path.push(cur);
      onPath.add(cur.key);
      cur = pageOf(cur.object.parent);
    }
    if (cur && onPath.has(cur.key)) {
      const loop = path.slice(path.findIndex((p) => p.key === cur?.key));
      for (let i = 0; i < loop.length; i++) {
        const names = [...loop.slice(i), ...loop.slice(0, i), loop[i]].map((p) => p.codeName);
        ctx.report(loop[i], 'FERRY_E_PAGE_TREE', `pages form a loop through their parents: ${names.join(' -> ')}`, '/parent');
      }
    }
    for (const p of path) settled.add(p.key);
  }
}

function checkSiblingSlugs(ctx: ValidationContext, scoped: readonly PageEntry[]): void {
  const groupKey = (p: Page): string => `${p.channel}\u0000${p.parent ?? ''}`;
  const wanted = new Set(scoped.map((e) => groupKey(e.object)));
  const groups = new Map<string, PageEntry[]>();
  for (const e of ctx.entriesOf('page')) {
    const k = groupKey(e.object);
    if (!wanted.has(k)) continue;
    const g = groups.get(k);
    if (g) g.push(e);
    else groups.set(k, [e]);
  }
  const inScope = new Set(scoped.map((e) => e.key));
  for (const siblings of groups.values()) {
    if (siblings.length < 2) continue;
    const bySlug = new Map<string, PageEntry[]>();
    for (const e of siblings) {
      for (const [language, variant] of Object.entries(e.object.variants ?? {})) {
        if (typeof variant?.slug !== 'string') continue;
        const k = `${language}\u0000${variant.slug}`;
        bySlug.set(k, [...(bySlug.get(k) ?? []), e]);
      }
    }
    for (const [k, same] of bySlug) {
      if (same.length < 2) continue;
      // Every page of the clash is told, the unchanged sibling too: it is as wrong as the changed one.
      if (!same.some((e) => inScope.has(e.key))) continue;
      const [language, slug] = k.split('\u0000');
      for (const e of same) {
        const others = same.filter((o) => o !== e).sort((a, b) => compareCodePoints(a.path, b.path)).map((o) => `${o.codeName} (${o.path})`);
        ctx.report(e, 'FERRY_E_PAGE_TREE', `variants.${language}.slug: slug "${slug}" is also used by sibling page ${others.join(', ')}; sibling slugs must differ in each language`, `/variants/${language}/slug`);
      }
    }
  }
}
