import type { ContentType, Diagnostic, FerryObject, ObjectKind, PlanStep } from '../model/index.js';
import type { TargetIndex } from './match-target.js';
import { GUID_RE, forEachStructuredReference, hasVariants } from '../model/index.js';

export interface CompatibilityInput {
  environment: string;
  mode: string;
  steps: readonly PlanStep[];
  target: TargetIndex;
  /** Content types of the head snapshot by code name (deployed or not), to find reference fields and guid clashes. */
  headTypes?: ReadonlyMap<string, ContentType>;
  /**
   * Whether the head snapshot holds an object (by key, or by kind and code name). A needed object
   * the head does not hold at all is the head's own error (validation reports it as a dangling
   * reference or an unknown type, workspace…); only one the head holds but the plan does not
   * deliver (filtered out, skipped) is a compatibility error. Without it every miss is reported.
   */
  headHas?: { key(key: string): boolean; codeName(kind: ObjectKind, codeName: string): boolean };
}

/** Content type changes that change no item's validity: its display name, description, field labels and descriptions, localized or not. */
const PRESENTATION_ONLY = /^(displayName|description|labels|fields\[[^\]]+\]\.(label|labels|description))$/;

interface NeededRef {
  kind: ObjectKind;
  /** A reference that may be of several kinds (a `references` field, a rich text embed): any of them. */
  kinds?: readonly ObjectKind[];
  codeName?: string;
  key?: string;
  field: string;
}

/**
 * Checks the state the target will be in after the plan: every type, workspace, channel, folder,
 * language, parent page and referenced item/page/asset that a written object needs must exist
 * there (kept, or created by this deployment) with the guid the repository gives it.
 */
export function checkCompatibility(input: CompatibilityInput): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  // The target after the plan, as lookups: what the plan writes overrides what the target has.
  const deleted = new Set<string>();
  const written = new Map<string, { kind: ObjectKind; codeName: string }>();
  const writtenByCode = new Map<string, string>();
  for (const s of input.steps) {
    if (s.action === 'delete') deleted.add(s.key);
    else if (s.action === 'create' || s.action === 'update' || s.action === 'rename') {
      written.set(s.key, { kind: s.kind, codeName: s.codeName });
      writtenByCode.set(`${s.kind}\u0000${s.codeName}`, s.key);
    }
  }
  const afterByKey = {
    get(key: string): { kind: ObjectKind; codeName: string } | undefined {
      const w = written.get(key);
      if (w) return w;
      if (deleted.has(key)) return undefined;
      return input.target.byKey(key);
    },
  };
  const afterByCode = (kind: ObjectKind, codeName: string): string | undefined => {
    const w = writtenByCode.size ? writtenByCode.get(`${kind}\u0000${codeName}`) : undefined;
    if (w) return w;
    const t = input.target.byCodeName(kind, codeName);
    // Gone when deleted, or renamed to another code name by this plan.
    if (!t || deleted.has(t.key) || (written.has(t.key) && written.get(t.key)!.codeName !== codeName)) return undefined;
    return t.key;
  };

  // Content types Create mode leaves as the target has them, though the repository changed what
  // items must hold: new items of these would not fit. Names, labels and descriptions do not count.
  const skippedTypes = new Map<string, PlanStep>();
  for (const s of input.steps) {
    if (s.action === 'skip' && s.kind === 'contentType' && s.source && s.source.op !== 'create' && s.source.op !== 'delete' && s.source.fields.some((f) => !PRESENTATION_ONLY.test(f.path))) {
      skippedTypes.set(s.codeName, s);
    }
  }

  for (const step of input.steps) {
    if (step.action !== 'create' && step.action !== 'update' && step.action !== 'rename') continue;
    const source = step.source;
    if (!source || source.op === 'delete') continue;
    const object = source.after.object;
    // Made only for a finding: most steps have none.
    const where = () => ({ file: step.path, object: { kind: step.kind, guid: step.key, codeName: step.codeName } });
    for (const ref of neededRefs(object, input.headTypes)) {
      if (ref.codeName !== undefined) {
        const found = afterByCode(ref.kind, ref.codeName);
        if (!found && input.headHas && !input.headHas.codeName(ref.kind, ref.codeName)) continue;
        if (!found) {
          diagnostics.push({
            code: 'FERRY_E_INCOMPATIBLE',
            severity: 'error',
            message: `${step.kind} \`${step.codeName}\` needs ${ref.kind} \`${ref.codeName}\` (${ref.field}), which is neither on ${input.environment} nor created by this deployment`,
            ...where(),
          });
          continue;
        }
        const headType = ref.kind === 'contentType' ? input.headTypes?.get(ref.codeName) : undefined;
        if (headType && headType.guid !== found) {
          diagnostics.push({
            code: 'FERRY_E_GUID_CLASH',
            severity: 'error',
            message: `contentType \`${ref.codeName}\` has guid ${headType.guid} in the repository but ${found} on ${input.environment}`,
            ...where(),
          });
        }
        if (ref.kind === 'contentType' && input.mode === 'Create' && skippedTypes.has(ref.codeName)) {
          diagnostics.push({
            code: 'FERRY_E_INCOMPATIBLE',
            severity: 'error',
            message: `${step.kind} \`${step.codeName}\` depends on contentType \`${ref.codeName}\`, which differs on ${input.environment} and is not updated in Create mode`,
            hint: 'Deploy in CreateUpdate mode, or deploy the content type change first.',
            ...where(),
          });
        }
      } else if (ref.key !== undefined) {
        const found = afterByKey.get(ref.key);
        if (!found && input.headHas && !input.headHas.key(ref.key)) continue;
        if (!found || !(ref.kinds ?? [ref.kind]).includes(found.kind)) {
          diagnostics.push({
            code: 'FERRY_E_INCOMPATIBLE',
            severity: 'error',
            message: `${step.kind} \`${step.codeName}\` references ${(ref.kinds ?? [ref.kind]).join(' or ')} ${ref.key} (${ref.field}), which is neither on ${input.environment} nor created by this deployment`,
            ...where(),
          });
        }
      }
    }
  }
  return diagnostics;
}

function neededRefs(o: FerryObject, headTypes: ReadonlyMap<string, ContentType> | undefined): NeededRef[] {
  const refs: NeededRef[] = [];
  // Language code names are their keys: checked by code name only.
  const lang = (code: string, field: string) => refs.push({ kind: 'language', codeName: code, field });
  switch (o.kind) {
    case 'language':
      if (o.fallback) lang(o.fallback, 'fallback');
      break;
    case 'channel':
      for (const l of o.languages) lang(l, 'languages');
      lang(o.primaryLanguage, 'primaryLanguage');
      break;
    case 'asset':
      refs.push({ kind: 'assetFolder', codeName: o.folder, field: 'folder' });
      for (const l of Object.keys(o.metadata)) lang(l, `metadata.${l}`);
      break;
    case 'contentItem':
    case 'page': {
      refs.push({ kind: 'contentType', codeName: o.contentType, field: 'contentType' });
      if (o.kind === 'contentItem') {
        refs.push({ kind: 'workspace', codeName: o.workspace, field: 'workspace' });
        // By guid only: a code-name path is resolved (and checked) by validation against the head.
        if (o.folder !== undefined && GUID_RE.test(o.folder)) refs.push({ kind: 'contentFolder', key: o.folder, field: 'folder' });
      } else {
        refs.push({ kind: 'channel', codeName: o.channel, field: 'channel' });
        if (o.parent) refs.push({ kind: 'page', key: o.parent, field: 'parent' });
      }
      for (const l of Object.keys(o.variants)) lang(l, `variants.${l}`);
      const type = headTypes?.get(o.contentType);
      if (type && hasVariants(o)) {
        // Every reference the fields hold: guid lists, links, media, rich text, inside groups and blocks.
        const scan = (values: Record<string, unknown> | undefined, base: string) =>
          forEachStructuredReference(type.fields, values, (r) => {
            const kinds = r.kind ? undefined : r.allowedKinds;
            refs.push({ kind: r.kind ?? r.allowedKinds?.[0] ?? 'contentItem', ...(kinds ? { kinds } : {}), key: r.guid, field: `${base}${r.label}` });
          });
        scan(o.fields, 'fields.');
        for (const [l, v] of Object.entries(o.variants)) scan(v.fields, `variants.${l}.fields.`);
      }
      break;
    }
    case 'contentFolder':
      refs.push({ kind: 'workspace', codeName: o.workspace, field: 'workspace' });
      if (o.parent) refs.push({ kind: 'contentFolder', key: o.parent, field: 'parent' });
      break;
    default:
      break;
  }
  return refs;
}
