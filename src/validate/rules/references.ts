import { compareCodePoints } from '../../model/compare.js';
import { GUID_RE, type ContentItem, type ContentTypeUsage, type ObjectKind, type Page } from '../../model/objects.js';
import type { SnapshotEntry } from '../../model/snapshot.js';
import { KIND_LABEL, type ValidationContext } from '../context.js';
import { forEachFieldReference, type FieldReference } from '../references-of.js';

const ITEM_USAGES: readonly ContentTypeUsage[] = ['reusable', 'headless', 'email'];

/**
 * References between objects: languages (fallbacks, without loops), channel languages, asset
 * folders and metadata languages, and for items and pages their content type (with a usage that
 * fits), workspace, channel (a website channel for pages), variant languages and every guid in
 * their reference fields (right kind, allowed content types). References into kinds the
 * repository does not hold (config `kinds`) are not checked here.
 */
export function checkReferences(ctx: ValidationContext): void {
  checkLanguages(ctx);
  checkChannels(ctx);
  checkAssets(ctx);
  for (const entry of ctx.scopedEntriesOf('contentItem')) checkContent(ctx, entry);
  for (const entry of ctx.scopedEntriesOf('page')) checkContent(ctx, entry);
}

function checkLanguages(ctx: ValidationContext): void {
  const languages = ctx.entriesOf('language');
  const reported = new Set<string>();
  for (const entry of languages) {
    const fallback = entry.object.fallback;
    if (fallback === undefined) continue;
    if (!ctx.byName('language', fallback)) {
      ctx.report(entry, 'FERRY_E_REFERENCE', `fallback language ${fallback} does not exist`, '/fallback');
      continue;
    }
    // Follow the fallbacks; coming back to a language already on the path is a loop.
    const path = [entry.codeName];
    let cur: string | undefined = fallback;
    while (cur !== undefined && !path.includes(cur)) {
      path.push(cur);
      cur = ctx.byName('language', cur)?.object.fallback;
    }
    if (cur === undefined) continue;
    const loop = path.slice(path.indexOf(cur));
    const key = [...loop].sort(compareCodePoints).join(' ');
    if (!loop.includes(entry.codeName) || reported.has(key)) continue;
    reported.add(key);
    for (const code of loop) {
      const member = ctx.byName('language', code);
      if (!member) continue;
      const from = loop.indexOf(code);
      const rotated = [...loop.slice(from), ...loop.slice(0, from), code];
      ctx.report(member, 'FERRY_E_REFERENCE', `language fallbacks form a loop: ${rotated.join(' -> ')}`, '/fallback');
    }
  }
}

function checkChannels(ctx: ValidationContext): void {
  if (!ctx.holds('language')) return;
  for (const entry of ctx.entriesOf('channel')) {
    const ch = entry.object;
    (ch.languages ?? []).forEach((code, i) => {
      if (!ctx.byName('language', code)) ctx.report(entry, 'FERRY_E_REFERENCE', `languages[${i}]: language ${code} does not exist`, `/languages/${i}`);
    });
    if (typeof ch.primaryLanguage === 'string') {
      if (!ctx.byName('language', ch.primaryLanguage)) {
        ctx.report(entry, 'FERRY_E_REFERENCE', `primaryLanguage: language ${ch.primaryLanguage} does not exist`, '/primaryLanguage');
      } else if (!(ch.languages ?? []).includes(ch.primaryLanguage)) {
        ctx.report(entry, 'FERRY_E_REFERENCE', `primaryLanguage ${ch.primaryLanguage} is not one of the channel's languages (${(ch.languages ?? []).join(', ')})`, '/primaryLanguage');
      }
    }
  }
}

function checkAssets(ctx: ValidationContext): void {
  for (const entry of ctx.scopedEntriesOf('asset')) {
    const a = entry.object;
    if (ctx.holds('assetFolder') && !ctx.byName('assetFolder', a.folder)) {
      ctx.report(entry, 'FERRY_E_REFERENCE', `folder: asset folder ${a.folder} does not exist`, '/folder');
    }
    if (ctx.holds('language')) {
      for (const code of Object.keys(a.metadata ?? {})) {
        if (!ctx.byName('language', code)) ctx.report(entry, 'FERRY_E_REFERENCE', `metadata.${code}: language ${code} does not exist`, `/metadata/${code}`);
      }
    }
  }
}

function checkContent(ctx: ValidationContext, entry: SnapshotEntry<ContentItem | Page>): void {
  const o = entry.object;
  const isPage = o.kind === 'page';
  const ctEntry = ctx.byName('contentType', o.contentType);
  if (ctx.holds('contentType')) {
    if (!ctEntry) {
      ctx.report(entry, 'FERRY_E_REFERENCE', `contentType: content type ${o.contentType} does not exist`, '/contentType');
    } else if (isPage && ctEntry.object.usage !== 'page') {
      ctx.report(entry, 'FERRY_E_REFERENCE', `contentType: ${o.contentType} is a ${ctEntry.object.usage} content type; pages need a content type with usage page`, '/contentType');
    } else if (!isPage && !ITEM_USAGES.includes(ctEntry.object.usage)) {
      ctx.report(entry, 'FERRY_E_REFERENCE', `contentType: ${o.contentType} is a ${ctEntry.object.usage} content type; content items need usage reusable, headless or email (pages live in pages/)`, '/contentType');
    }
  }

  let channelLanguages: readonly string[] | undefined;
  if (o.kind === 'contentItem') {
    if (ctx.holds('workspace') && !ctx.byName('workspace', o.workspace)) {
      ctx.report(entry, 'FERRY_E_REFERENCE', `workspace: workspace ${o.workspace} does not exist`, '/workspace');
    }
  } else if (ctx.holds('channel')) {
    const channel = ctx.byName('channel', o.channel);
    if (!channel) ctx.report(entry, 'FERRY_E_REFERENCE', `channel: channel ${o.channel} does not exist`, '/channel');
    else if (channel.object.type !== 'website') {
      ctx.report(entry, 'FERRY_E_REFERENCE', `channel: ${o.channel} is a ${channel.object.type} channel; pages belong to website channels`, '/channel');
    } else channelLanguages = channel.object.languages ?? [];
  }

  if (ctx.holds('language')) {
    for (const code of Object.keys(o.variants ?? {})) {
      if (!ctx.byName('language', code)) {
        ctx.report(entry, 'FERRY_E_REFERENCE', `variants.${code}: language ${code} does not exist`, `/variants/${code}`);
      } else if (channelLanguages && !channelLanguages.includes(code)) {
        ctx.report(entry, 'FERRY_E_REFERENCE', `variants.${code}: channel ${(o as Page).channel} does not use language ${code} (its languages: ${channelLanguages.join(', ')})`, `/variants/${code}`);
      }
    }
  }

  if (!ctEntry) return;
  forEachFieldReference(o, ctEntry.object, (ref) => {
    // A value that is not a guid at all is the field values rule's finding.
    if (!GUID_RE.test(ref.guid)) return;
    const kinds = ref.kind ? [ref.kind] : (ref.allowedKinds ?? []);
    if (kinds.length === 0 || !kinds.some((k) => ctx.holds(k))) return;
    const what = refWhat(ref.form, kinds);
    const target = ctx.snapshot.entries.get(ref.guid);
    if (!target) {
      ctx.report(entry, 'FERRY_E_REFERENCE', `${ref.field}: ${what} ${ref.guid}, which does not exist`, ref.pointer);
    } else if (!(kinds as readonly string[]).includes(target.kind)) {
      ctx.report(entry, 'FERRY_E_REFERENCE', `${ref.field}: ${ref.guid} is ${KIND_LABEL[target.kind]} ${target.codeName}, not ${kinds.map((k) => `a ${KIND_LABEL[k]}`).join(' or ')}`, ref.pointer);
    } else if (ref.kind && ref.allowedKinds && !(ref.allowedKinds as readonly string[]).includes(ref.kind)) {
      ctx.report(entry, 'FERRY_E_REFERENCE', `${ref.field}: this link may not target ${KIND_LABEL[ref.kind]}s (it allows ${ref.allowedKinds.map((k) => KIND_LABEL[k]).join(', ')})`, ref.pointer);
    } else if (ref.allowedTypes && (target.kind === 'contentItem' || target.kind === 'page')) {
      const type = (target.object as ContentItem | Page).contentType;
      if (!ref.allowedTypes.includes(type)) {
        ctx.report(entry, 'FERRY_E_REFERENCE', `${ref.field}: ${KIND_LABEL[target.kind]} ${target.codeName} is of type ${type}; this field allows ${ref.allowedTypes.join(', ')}`, ref.pointer);
      }
    }
  });
}

/** How a reference reads in a message: `references content item`, `links to page`, `embeds`. */
function refWhat(form: FieldReference['form'], kinds: readonly ObjectKind[]): string {
  const kind = kinds.map((k) => KIND_LABEL[k]).join(' or ');
  switch (form) {
    case 'link':
    case 'richTextLink':
      return `links to ${kind}`;
    case 'embed':
      return `embeds ${kind}`;
    case 'media':
      return `shows ${kind}`;
    default:
      return `references ${kind}`;
  }
}
