import type { Plan, PlanAction, PlanStep } from '../model/index.js';
import { referenceText } from './changeset-common.js';

const SYMBOL: Record<PlanAction | 'republish', string> = { create: '+', update: '~', rename: '>', delete: '-', publish: '↑', republish: '↑', unpublish: '↓', skip: '·' };

/** `3 to create, 1 to update, …` for a plan; `3 created, 1 updated, …` once applied. */
export function countsLine(plan: Plan, applied = false): string {
  const c = plan.counts;
  const parts: Array<[number, string, string]> = [
    [c.create, 'to create', 'created'],
    [c.update, 'to update', 'updated'],
    [c.rename, 'to rename', 'renamed'],
    [c.delete, 'to delete', 'deleted'],
    [c.publish, 'to publish', 'published'],
    [c.unpublish, 'to unpublish', 'unpublished'],
    [c.skip, 'skipped', 'skipped'],
  ];
  return parts.map(([n, future, past]) => `${n} ${applied ? past : future}`).join(', ');
}

function header(plan: Plan): string {
  const from = plan.baseCommit ? plan.baseCommit.slice(0, 10) : 'nothing deployed';
  const to = plan.headCommit ? plan.headCommit.slice(0, 10) : 'working tree';
  return `Plan for ${plan.environment} (${plan.mode}): ${from} → ${to}`;
}

interface PlanLine {
  step: PlanStep;
  publish: string[];
  republish: string[];
  unpublish: string[];
}

/** One line per object: its write step with the languages it publishes/unpublishes folded in. */
export function planLines(plan: Plan): PlanLine[] {
  const lines: PlanLine[] = [];
  const byKey = new Map<string, PlanLine>();
  for (const step of plan.steps) {
    if (step.action === 'publish' || step.action === 'unpublish') {
      let line = byKey.get(step.key);
      if (!line) {
        line = { step, publish: [], republish: [], unpublish: [] };
        byKey.set(step.key, line);
        lines.push(line);
      }
      line[step.republish ? 'republish' : step.action].push(step.language ?? '');
      continue;
    }
    const line: PlanLine = { step, publish: [], republish: [], unpublish: [] };
    if (step.action !== 'skip' && step.action !== 'delete') byKey.set(step.key, line);
    lines.push(line);
  }
  return lines;
}

/** `parent: page coffee (f8706404) → page home (9d645f34)` for each changed reference a step writes. */
function referenceChanges(step: PlanStep, names: Plan['names']): string[] {
  const src = step.source;
  if (!names || !src || (src.op !== 'update' && src.op !== 'rename') || (step.action !== 'update' && step.action !== 'rename')) return [];
  const out: string[] = [];
  for (const f of src.fields) {
    const before = f.before === undefined ? undefined : referenceText(f.before, names);
    const after = f.after === undefined ? undefined : referenceText(f.after, names);
    if (before === undefined && after === undefined) continue;
    out.push(`${f.path}: ${before ?? (f.before === undefined ? '(none)' : JSON.stringify(f.before))} → ${after ?? (f.after === undefined ? '(none)' : JSON.stringify(f.after))}`);
  }
  return out;
}

function lineText(l: PlanLine, names?: Plan['names']): { action: PlanAction | 'republish'; label: string; reason: string } {
  const extra = [
    l.publish.length ? `publish ${l.publish.join(', ')}` : '',
    l.republish.length ? `republish ${l.republish.join(', ')}` : '',
    l.unpublish.length ? `unpublish ${l.unpublish.join(', ')}` : '',
  ].filter(Boolean).join('; ');
  const folded = l.step.action === 'publish' || l.step.action === 'unpublish';
  // A publish of a variant that was published already delivers new content: it says "republish".
  const action: PlanAction | 'republish' = folded ? (l.publish.length ? 'publish' : l.republish.length ? 'republish' : 'unpublish') : l.step.action;
  const refs = referenceChanges(l.step, names);
  const reason = (folded ? `${l.step.reason}${extra ? ` (${extra})` : ''}` : `${l.step.reason}${extra ? `; ${extra}` : ''}`) + (refs.length ? ` [${refs.join('; ')}]` : '');
  return { action, label: `${l.step.kind} ${l.step.codeName}`, reason };
}

/** Terraform-like text: one line per object with a symbol, what happens and why. */
export function renderPlanText(plan: Plan, opts: { color?: boolean; verbose?: boolean; maxLines?: number } = {}): string {
  const c = opts.color
    ? { '+': '\x1b[32m', '~': '\x1b[33m', '>': '\x1b[36m', '-': '\x1b[31m', '↑': '\x1b[32m', '↓': '\x1b[35m', '·': '\x1b[2m', off: '\x1b[0m' }
    : ({ off: '' } as Record<string, string>);
  const out = [header(plan)];
  const lines = planLines(plan);
  const all = lines.map((l) => lineText(l, plan.names));
  // A skipped deletion is something the repository asked for that will not happen: always listed.
  const skippedDeletions = lines.filter((l) => l.step.action === 'skip' && l.step.source?.op === 'delete').map((l) => lineText(l, plan.names));
  const shown = opts.verbose ? all : [...all.filter((l) => l.action !== 'skip').slice(0, opts.maxLines ?? 500), ...skippedDeletions];
  for (const l of shown) {
    const sym = SYMBOL[l.action];
    out.push(`  ${c[sym] ?? ''}${sym} ${l.action.padEnd(9)}${c.off} ${l.label}  — ${l.reason}`);
  }
  const hidden = all.length - shown.length;
  if (hidden > 0) out.push(`  … ${hidden} more line(s) not shown (skipped creates and updates, and overflow; --verbose or --format json shows all)`);
  if (!plan.steps.length) out.push('  No changes: the environment already has this content.');
  out.push(countsLine(plan));
  return out.join('\n') + '\n';
}

export function renderPlanMarkdown(plan: Plan, opts: { maxSteps?: number } = {}): string {
  const max = opts.maxSteps ?? 300;
  const lines = [`### ${header(plan)}`, '', countsLine(plan), ''];
  if (!plan.steps.length) return lines.concat(['No changes: the environment already has this content.', '']).join('\n');
  lines.push('| | Action | Object | Reason |', '| --- | --- | --- | --- |');
  const planned = planLines(plan);
  const isSkippedDeletion = (l: PlanLine) => l.step.action === 'skip' && l.step.source?.op === 'delete';
  // Skipped deletions come after the cut, never inside it: a reviewer must see every one.
  const kept = planned.filter((l) => !isSkippedDeletion(l));
  const shown = [...kept.slice(0, max), ...planned.filter(isSkippedDeletion)].map((l) => lineText(l, plan.names));
  for (const l of shown) {
    lines.push(`| ${SYMBOL[l.action]} | ${l.action} | \`${l.label.replace(' ', '` `')}\` | ${l.reason.replace(/\|/g, '\\|')} |`);
  }
  if (kept.length > max) lines.push('', `… and ${kept.length - max} more objects (the JSON plan lists every step).`);
  return lines.join('\n') + '\n';
}

export function planToJson(plan: Plan): Record<string, unknown> {
  return {
    environment: plan.environment,
    mode: plan.mode,
    baseCommit: plan.baseCommit ?? null,
    headCommit: plan.headCommit ?? null,
    counts: plan.counts,
    steps: plan.steps.map((s) => ({
      action: s.action,
      wave: s.wave,
      kind: s.kind,
      key: s.key,
      codeName: s.codeName,
      path: s.path,
      ...(s.language ? { language: s.language } : {}),
      ...(s.republish ? { republish: true } : {}),
      reason: s.reason,
      ...(s.source && s.source.op !== 'create' && s.source.op !== 'delete' && s.source.fields.length
        ? { fields: s.source.fields.map((f) => f.path) }
        : {}),
    })),
    diagnostics: plan.diagnostics,
    ...(plan.names && Object.keys(plan.names).length ? { names: Object.fromEntries(Object.keys(plan.names).sort().map((g) => [g, plan.names![g]])) } : {}),
  };
}
