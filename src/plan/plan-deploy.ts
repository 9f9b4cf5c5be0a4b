import { isIncluded } from '../config/index.js';
import { changeBetween } from '../diff/index.js';
import type {
  Change,
  Diagnostic,
  FerryObject,
  ObjectKind,
  Plan,
  PlanStep,
  RepositoryConfig,
  RestoreMode,
  SnapshotEntry,
  StoredObject,
  StoredObjectInfo,
  Wave,
} from '../model/index.js';
import { KIND_ORDER, SUPPORTING_KIND_SET, WAVES, compareCodePoints, deepEqual, emptyCounts, hasVariants } from '../model/index.js';
import { checkCompatibility } from './compatibility.js';
import type { TargetIndex } from './match-target.js';

export interface PlanDeployInput {
  environment: string;
  mode: RestoreMode;
  config: RepositoryConfig;
  baseCommit?: string;
  headCommit?: string;
  /** Head objects that were read because the target does not hold them as they are (see matchHeadToTarget). */
  changedEntries: readonly SnapshotEntry[];
  /** Lookups into the target's whole index. */
  target: TargetIndex;
  /**
   * Target objects that no unchanged head file accounts for (see matchHeadToTarget): updated,
   * renamed, deleted from the repository, or created on the target by hand. Deletions come from
   * these only, so planning never walks the whole target.
   */
  candidates: readonly StoredObjectInfo[];
  /** Full target objects for the keys of `changedEntries` and of the candidates. */
  targetObjects: ReadonlyMap<string, StoredObject>;
  /** Content types of the head snapshot by code name, for reference checks against the target. */
  headTypes?: ReadonlyMap<string, import('../model/index.js').ContentType>;
  /** What the head snapshot holds (see CompatibilityInput.headHas). */
  headHas?: import('./compatibility.js').CompatibilityInput['headHas'];
}

function waveOf(kind: ObjectKind): Wave {
  if (SUPPORTING_KIND_SET.has(kind)) return 'supporting';
  return kind === 'asset' ? 'assets' : 'content';
}

/**
 * The plan of one deployment, as a value: what to create, update, rename, publish, unpublish and
 * delete on the target, in waves, each step with its source change and reason, and every skipped
 * operation with why. Pure: the caller reads the target and the changed head files.
 */
export function planDeploy(input: PlanDeployInput): Plan {
  const { mode, config } = input;
  const steps: PlanStep[] = [];
  const diagnostics: Diagnostic[] = [];
  const headKeys = new Set<string>();

  for (const entry of input.changedEntries) {
    if (!isIncluded(config, entry.kind, entry.codeName)) continue;
    headKeys.add(entry.key);
    const info = input.target.byKey(entry.key);
    const base = { kind: entry.kind, key: entry.key, codeName: entry.codeName, path: entry.path };

    if (!info) {
      const clash = input.target.byCodeName(entry.kind, entry.codeName);
      if (clash && clash.key !== entry.key) {
        diagnostics.push({
          code: 'FERRY_E_GUID_CLASH',
          severity: 'error',
          message: `${entry.kind} \`${entry.codeName}\` has guid ${entry.key} in the repository but ${clash.key} on ${input.environment}`,
          file: entry.path,
          object: { kind: entry.kind, guid: entry.key, codeName: entry.codeName },
        });
        continue;
      }
      const source: Change = { op: 'create', ...base, after: entry };
      steps.push({ ...base, action: 'create', wave: waveOf(entry.kind), reason: 'new in the repository', source });
      steps.push(...publishSteps(undefined, entry.object, source));
      continue;
    }

    // Read again only to be validated (config change, asset binaries): the target already has it.
    if (info.sourceHash === entry.hash && info.path === entry.path && !info.drift) continue;

    const before = input.targetObjects.get(entry.key)?.object;
    const beforeEntry = entryOfTarget(info, before ?? entry.object);
    // The change is what `ferry diff` says of the target's copy and the head's file (changeBetween);
    // a drifted copy is not what its source file says, so its bytes are compared as unknown.
    // No change by those rules (formatting only, or drift undone) still updates: the target
    // records the repository's file.
    const change = changeBetween(info.drift ? { ...beforeEntry, hash: '' } : beforeEntry, entry);
    const source: Change = change ? { ...change, before: beforeEntry } : { op: 'update', ...base, before: beforeEntry, after: entry, fields: [] };
    const renamed = source.op === 'rename';
    const fields = source.fields;

    if (mode === 'Create') {
      steps.push({ ...base, action: 'skip', wave: waveOf(entry.kind), reason: 'exists (Create mode)', source });
      continue;
    }
    const reason = info.drift
      ? `changed on ${input.environment} outside Ferry (drift): restored from the repository`
      : renamed
        ? `renamed from \`${info.codeName}\` (${info.path})`
        : fields.length
          ? `changed: ${summarizeFields(fields.map((f) => f.path))}`
          : 'file changed (formatting only)';
    steps.push({ ...base, action: renamed ? 'rename' : 'update', wave: waveOf(entry.kind), reason, source });
    steps.push(...publishSteps(before, entry.object, source));
  }

  for (const info of input.candidates) {
    if (headKeys.has(info.key)) continue;
    if (!isIncluded(config, info.kind, info.codeName)) continue;
    const before = input.targetObjects.get(info.key);
    const beforeEntry = entryOfTarget(info, before?.object ?? ({ kind: info.kind, guid: info.guid, codeName: info.codeName } as FerryObject));
    const base = { kind: info.kind, key: info.key, codeName: info.codeName, path: info.path };
    const source: Change = { op: 'delete', ...base, before: beforeEntry };
    const foreign = !info.sourceHash;
    if (mode !== 'Full') {
      steps.push({
        ...base,
        action: 'skip',
        wave: 'delete',
        reason: foreign ? `not in the repository (created on the target); deletions not applied (${mode})` : `deletions not applied (${mode})`,
        source,
      });
      continue;
    }
    steps.push({
      ...base,
      action: 'delete',
      wave: 'delete',
      reason: foreign ? 'not in the repository (created on the target): Full mode mirrors the repository' : 'deleted from the repository',
      source,
    });
  }

  const sorted = sortSteps(steps);
  diagnostics.push(...checkCompatibility({ ...input, steps: sorted }));
  const counts = emptyCounts();
  for (const s of sorted) counts[s.action] += 1;
  return {
    environment: input.environment,
    mode,
    baseCommit: input.baseCommit,
    headCommit: input.headCommit,
    steps: sorted,
    diagnostics,
    counts,
  };
}

/** Publish / unpublish steps for language variants (items and pages) and assets. */
function publishSteps(before: FerryObject | undefined, after: FerryObject, source: Change): PlanStep[] {
  const base = { kind: after.kind, key: source.key, codeName: after.codeName, path: source.path, wave: 'publish' as const, source };
  if (after.kind === 'asset') return [];
  if (!hasVariants(after)) return [];
  const prev = before && hasVariants(before) ? before : undefined;
  const out: PlanStep[] = [];
  // Shared fields, type, workspace, page position: a change there changes every published variant
  // (a code name is not delivered: renaming a file republishes nothing).
  const sharedChanged = prev !== undefined && !deepEqual({ ...prev, variants: undefined, codeName: undefined }, { ...after, variants: undefined, codeName: undefined });
  const languages = new Set([...Object.keys(after.variants), ...Object.keys(prev?.variants ?? {})]);
  for (const language of [...languages].sort(compareCodePoints)) {
    const was = prev?.variants[language];
    const now = after.variants[language];
    const wasPublished = was?.status === 'published';
    const isPublished = now?.status === 'published';
    if (isPublished && !wasPublished) out.push({ ...base, action: 'publish', language, reason: was ? `status ${was.status} → published` : 'new published variant' });
    else if (isPublished && wasPublished && (sharedChanged || !deepEqual(was, now))) out.push({ ...base, action: 'publish', republish: true, language, reason: `republish: ${republishWhy(source, language)}` });
    else if (wasPublished && !isPublished) out.push({ ...base, action: 'unpublish', language, reason: now ? `status published → ${now.status}` : 'variant removed' });
  }
  return out;
}

/** Why a published variant is published again: what changed that it delivers. */
function republishWhy(source: Change, language: string): string {
  const fields = source.op === 'update' || source.op === 'rename' ? source.fields : [];
  const own = fields.filter((f) => f.language === language).map((f) => f.path);
  const shared = fields.filter((f) => f.language === undefined && !f.path.startsWith('variants.')).map((f) => f.path);
  const parts: string[] = [];
  if (source.op === 'rename') parts.push(source.fromCodeName === source.codeName ? `moved from ${source.fromPath}` : `renamed from ${source.fromCodeName}`);
  if (shared.length) parts.push(`shared ${shared.length === 1 ? 'field' : 'fields'} ${summarizeFields(shared)} changed`);
  if (own.length) parts.push(`${summarizeFields(own)} changed`);
  return parts.join('; ') || 'published content changed';
}

/** A target object as the `before` side of a change. */
function entryOfTarget(info: StoredObjectInfo, object: FerryObject): SnapshotEntry {
  return { key: info.key, kind: info.kind, codeName: info.codeName, path: info.path, hash: info.sourceHash, object };
}

function summarizeFields(paths: string[]): string {
  const shown = paths.slice(0, 4).join(', ');
  return paths.length > 4 ? `${shown} and ${paths.length - 4} more` : shown;
}

const WAVE_INDEX = new Map(WAVES.map((w, i) => [w, i] as const));

/** Waves in order; inside a wave, dependency order (reverse for deletions), then code name. */
export function sortSteps(steps: PlanStep[]): PlanStep[] {
  // Each step's order is computed once (a first deployment sorts ~200k steps): a number for wave
  // and kind, and one string for the rest. NUL sorts below every character a code name, key,
  // language or action can hold, so comparing the joined strings compares the tuples.
  const decorated = steps.map((step) => {
    const k = KIND_ORDER[step.kind];
    return {
      step,
      rank: WAVE_INDEX.get(step.wave)! * 100 + (step.wave === 'delete' ? 99 - k : k),
      order: `${step.codeName}\u0000${step.key}\u0000${step.language ?? ''}\u0000${step.action}`,
    };
  });
  decorated.sort((x, y) => x.rank - y.rank || compareCodePoints(x.order, y.order));
  return decorated.map((d) => d.step);
}
