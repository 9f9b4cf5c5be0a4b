import { CommanderError } from 'commander';
import { EXIT, type ExitStatus } from '../errors/catalog.js';
import { isFerryError } from '../errors/ferry-error.js';
import { hasErrors, planHasChanges, type Diagnostic, type Plan } from '../model/index.js';

/**
 * What a command ended with, as far as its exit status is concerned. Every command returns one
 * of these and `exitFor` alone turns it into a status, so the same outcome exits the same way in
 * every command (a dry run with errors fails in deploy, promote and rollback alike).
 */
export type CommandOutcome =
  /** Nothing to judge: the command did what it was asked. */
  | { kind: 'done' }
  /** Findings (validate, fmt, release, changelog): any error fails the command. */
  | { kind: 'findings'; diagnostics: readonly Diagnostic[] }
  /** A plan; `detailed` is `--detailed-exitcode` (changes present exit 2). */
  | { kind: 'plan'; plan: Plan; diagnostics: readonly Diagnostic[]; detailed: boolean }
  /** A deployment (deploy, promote, rollback), dry run or not. */
  | { kind: 'deployment'; diagnostics: readonly Diagnostic[] }
  /** `merge-file`: conflicts left in the file fail the merge, as git's merge drivers do. */
  | { kind: 'merge'; clean: boolean }
  /** `status`: an environment that could not be reached fails the command after the others are shown. */
  | { kind: 'status'; unreachable: boolean }
  /** The user said no (rollback's confirmation): nothing was written. */
  | { kind: 'declined' }
  /** A thrown error: a FerryError exits with its code's status, commander's usage errors with EXIT.usage. */
  | { kind: 'error'; error: unknown };

/** The one place that decides a command's exit status (README, "Exit codes and errors"). */
export function exitFor(outcome: CommandOutcome): ExitStatus {
  switch (outcome.kind) {
    case 'done':
      return EXIT.ok;
    case 'findings':
    case 'deployment':
      return hasErrors(outcome.diagnostics) ? EXIT.user : EXIT.ok;
    case 'plan':
      if (hasErrors(outcome.diagnostics)) return EXIT.user;
      return outcome.detailed && planHasChanges(outcome.plan) ? EXIT.changes : EXIT.ok;
    case 'merge':
      return outcome.clean ? EXIT.ok : EXIT.user;
    case 'status':
      return outcome.unreachable ? EXIT.unreachable : EXIT.ok;
    case 'declined':
      return EXIT.user;
    case 'error': {
      const e = outcome.error;
      if (e instanceof CommanderError) {
        return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help' ? EXIT.ok : EXIT.usage;
      }
      return isFerryError(e) ? e.exitCode : EXIT.internal;
    }
  }
}
