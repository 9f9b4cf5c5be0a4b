import type { Change } from './changeset.js';
import type { Diagnostic } from './diagnostic.js';
import type { ObjectKind } from './objects.js';
import type { DeploymentCounts, RestoreMode } from './store.js';

export type PlanAction = 'create' | 'update' | 'rename' | 'delete' | 'publish' | 'unpublish' | 'skip';

/** Waves of a deployment, applied in this order (DESIGN.md "Restore modes"). */
export const WAVES = ['supporting', 'assets', 'content', 'publish', 'delete'] as const;
export type Wave = (typeof WAVES)[number];

export interface PlanStep {
  action: PlanAction;
  wave: Wave;
  kind: ObjectKind;
  key: string;
  codeName: string;
  path: string;
  /** Language of a publish/unpublish step. */
  language?: string;
  /** A publish step for a variant that was published already: its delivered content changes (reports say "republish"). */
  republish?: true;
  /** Why the step exists (or why it is skipped), in words a person reads in a PR. */
  reason: string;
  /** The change the step comes from, when it comes from one. */
  source?: Change;
}

export interface Plan {
  environment: string;
  mode: RestoreMode;
  /** The environment's deployed commit the plan starts from (absent: first deployment or folder source). */
  baseCommit?: string;
  /** Commit being deployed (absent for working-tree deploys). */
  headCommit?: string;
  steps: PlanStep[];
  diagnostics: Diagnostic[];
  counts: DeploymentCounts;
  /** Names of the objects changed references point to, by guid (see Changeset.names). */
  names?: Readonly<Record<string, import('./changeset.js').ObjectName>>;
}

export function emptyCounts(): DeploymentCounts {
  return { create: 0, update: 0, delete: 0, rename: 0, publish: 0, unpublish: 0, skip: 0 };
}

export function planHasChanges(plan: Plan): boolean {
  return plan.steps.some((s) => s.action !== 'skip');
}
