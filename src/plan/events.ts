import type { ChangeEvent, ChangeEventType, Plan, PlanStep } from '../model/index.js';
import { hasVariants } from '../model/index.js';

/**
 * Change-log events of a plan, in step order: what the delta Sync API will report. Published
 * content changes are `entry_published`; a removed variant of a published entry is
 * `entry_deleted` for that locale; deleting an item emits `entry_deleted` for each of its
 * published variants.
 */
export function eventsForPlan(plan: Plan, at: string): ChangeEvent[] {
  const events: ChangeEvent[] = [];
  for (const step of plan.steps) events.push(...eventsForStep(step, at));
  return events;
}

function eventsForStep(step: PlanStep, at: string): ChangeEvent[] {
  const source = step.source;
  const base = { key: step.key, kind: step.kind, at };
  switch (step.action) {
    case 'create':
    case 'update':
    case 'rename':
      if (step.kind === 'asset') return [{ ...base, type: 'asset_published' }];
      return [];
    case 'publish':
    case 'unpublish': {
      const after = source && source.op !== 'delete' ? source.after.object : undefined;
      const contentType = after && hasVariants(after) ? after.contentType : undefined;
      const removed = after && hasVariants(after) && !after.variants[step.language ?? ''];
      const type: ChangeEventType = step.action === 'publish' ? 'entry_published' : removed ? 'entry_deleted' : 'entry_unpublished';
      return [{ ...base, type, contentType, locale: step.language }];
    }
    case 'delete': {
      const before = source && source.op !== 'create' ? source.before.object : undefined;
      if (step.kind === 'asset') return [{ ...base, type: 'asset_deleted' }];
      if (step.kind === 'contentType') return [{ ...base, type: 'content_type_deleted', contentType: step.codeName }];
      if (before && hasVariants(before)) {
        return Object.keys(before.variants)
          .sort()
          .filter((l) => before.variants[l].status === 'published')
          .map((locale) => ({ ...base, type: 'entry_deleted' as const, contentType: before.contentType, locale }));
      }
      return [];
    }
    case 'skip':
      return [];
  }
}
