import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { EXIT } from '../errors/catalog.js';
import { FerryError, InternalError } from '../errors/ferry-error.js';
import type { Diagnostic, Plan } from '../model/index.js';
import { exitFor } from './exit-for.js';

const error: Diagnostic = { code: 'FERRY_E_FIELD', severity: 'error', message: 'bad' };
const warning: Diagnostic = { code: 'FERRY_E_FIELD', severity: 'warning', message: 'meh' };
const counts = { create: 0, update: 0, rename: 0, delete: 0, publish: 0, unpublish: 0, skip: 0 };
const emptyPlan = { environment: 'dev', mode: 'CreateUpdate', steps: [], counts, diagnostics: [] } as unknown as Plan;
const changingPlan = { ...emptyPlan, steps: [{ action: 'create' }], counts: { ...counts, create: 1 } } as unknown as Plan;

describe('exitFor', () => {
  it('findings and deployments (dry run or not) fail on errors only', () => {
    for (const kind of ['findings', 'deployment'] as const) {
      expect(exitFor({ kind, diagnostics: [] })).toBe(EXIT.ok);
      expect(exitFor({ kind, diagnostics: [warning] })).toBe(EXIT.ok);
      expect(exitFor({ kind, diagnostics: [warning, error] })).toBe(EXIT.user);
    }
  });

  it('a plan exits 2 for changes only with --detailed-exitcode, and errors win over changes', () => {
    expect(exitFor({ kind: 'plan', plan: changingPlan, diagnostics: [], detailed: false })).toBe(EXIT.ok);
    expect(exitFor({ kind: 'plan', plan: changingPlan, diagnostics: [], detailed: true })).toBe(EXIT.changes);
    expect(exitFor({ kind: 'plan', plan: emptyPlan, diagnostics: [], detailed: true })).toBe(EXIT.ok);
    expect(exitFor({ kind: 'plan', plan: changingPlan, diagnostics: [error], detailed: true })).toBe(EXIT.user);
  });

  it('merge conflicts, a declined rollback and an unreachable environment', () => {
    expect(exitFor({ kind: 'merge', clean: true })).toBe(EXIT.ok);
    expect(exitFor({ kind: 'merge', clean: false })).toBe(EXIT.user);
    expect(exitFor({ kind: 'declined' })).toBe(EXIT.user);
    expect(exitFor({ kind: 'status', unreachable: false })).toBe(EXIT.ok);
    expect(exitFor({ kind: 'status', unreachable: true })).toBe(EXIT.unreachable);
    expect(exitFor({ kind: 'done' })).toBe(EXIT.ok);
  });

  it('thrown errors: the code its catalog status, commander usage 64, help 0, anything else internal', () => {
    expect(exitFor({ kind: 'error', error: new FerryError('FERRY_E_USAGE', 'x') })).toBe(64);
    expect(exitFor({ kind: 'error', error: new FerryError('FERRY_E_REVISION', 'x') })).toBe(5);
    expect(exitFor({ kind: 'error', error: new FerryError('FERRY_E_LOCK', 'x') })).toBe(EXIT.conflict);
    expect(exitFor({ kind: 'error', error: new FerryError('FERRY_E_UNREACHABLE', 'x') })).toBe(EXIT.unreachable);
    expect(exitFor({ kind: 'error', error: new InternalError('x') })).toBe(EXIT.internal);
    expect(exitFor({ kind: 'error', error: new CommanderError(1, 'commander.missingMandatoryOptionValue', 'x') })).toBe(EXIT.usage);
    expect(exitFor({ kind: 'error', error: new CommanderError(0, 'commander.helpDisplayed', 'x') })).toBe(EXIT.ok);
    expect(exitFor({ kind: 'error', error: new Error('bug') })).toBe(EXIT.internal);
  });
});
