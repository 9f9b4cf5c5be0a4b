import { pointerOf } from '../../config/pointer.js';
import { PUBLISHED_STEP, workflowSteps } from '../../model/objects.js';
import type { ValidationContext } from '../context.js';

/**
 * Workflows: a workspace's steps are declared once each, `published` among them; every variant of
 * an item in a workspace with a workflow records a step it declares, and is `published` exactly
 * at the `published` step. Items of a workspace without one, and pages (which belong to no
 * workspace), have the three statuses alone and record no step.
 */
export function checkWorkflow(ctx: ValidationContext): void {
  for (const entry of ctx.entriesOf('workspace')) {
    const steps = entry.object.workflow;
    if (steps === undefined) continue;
    const seen = new Set<string>();
    steps.forEach((step, i) => {
      if (seen.has(step.codeName)) ctx.report(entry, 'FERRY_E_WORKFLOW', `workflow: step \`${step.codeName}\` is declared twice`, pointerOf(['workflow', i, 'codeName']));
      seen.add(step.codeName);
    });
    if (!seen.has(PUBLISHED_STEP)) ctx.report(entry, 'FERRY_E_WORKFLOW', `workflow: no \`${PUBLISHED_STEP}\` step, so nothing of this workspace could be delivered`, '/workflow');
  }

  for (const entry of ctx.scopedEntriesOf('contentItem')) {
    const workspace = ctx.byName('workspace', entry.object.workspace);
    // An unknown workspace is reported by the reference rule.
    if (!workspace && ctx.holds('workspace')) continue;
    const steps = workflowSteps(workspace?.object);
    for (const [language, variant] of Object.entries(entry.object.variants ?? {})) {
      const at = (prop: string) => pointerOf(['variants', language, prop]);
      if (!steps.length) {
        if (variant.step !== undefined && workspace) {
          ctx.report(entry, 'FERRY_E_WORKFLOW', `variants.${language}.step: workspace ${workspace.codeName} declares no workflow, so its items have a status and no step`, at('step'));
        }
        continue;
      }
      if (variant.step === undefined) {
        ctx.report(entry, 'FERRY_E_WORKFLOW', `variants.${language}: workspace ${workspace!.codeName} has a workflow (${steps.join(', ')}): give the variant its step`, pointerOf(['variants', language]));
      } else if (!steps.includes(variant.step)) {
        ctx.report(entry, 'FERRY_E_WORKFLOW', `variants.${language}.step: workspace ${workspace!.codeName} declares no step \`${variant.step}\` (its steps: ${steps.join(', ')})`, at('step'));
      } else if ((variant.step === PUBLISHED_STEP) !== (variant.status === 'published')) {
        ctx.report(
          entry,
          'FERRY_E_WORKFLOW',
          `variants.${language}: step \`${variant.step}\` with status \`${variant.status}\`: a variant is published exactly at the \`${PUBLISHED_STEP}\` step`,
          at('status'),
        );
      }
    }
  }

  for (const entry of ctx.scopedEntriesOf('page')) {
    for (const [language, variant] of Object.entries(entry.object.variants ?? {})) {
      if (variant.step !== undefined) {
        ctx.report(entry, 'FERRY_E_WORKFLOW', `variants.${language}.step: pages belong to no workspace, so they have a status and no workflow step`, pointerOf(['variants', language, 'step']));
      }
    }
  }
}
