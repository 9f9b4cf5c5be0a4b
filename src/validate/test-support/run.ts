import type { RepositoryConfig } from '../../model/config.js';
import type { Diagnostic } from '../../model/diagnostic.js';
import type { ValidateOptions } from '../context.js';
import { validateSnapshot } from '../validate-snapshot.js';
import type { SnapshotBuilder } from './snapshot-builder.js';

/** Validates what a builder holds, with its config and options (each patchable). */
export function validateBuilder(b: SnapshotBuilder, config: Partial<RepositoryConfig> = {}, opts: Partial<ValidateOptions> = {}): Diagnostic[] {
  return validateSnapshot(b.build(), b.config(config), b.options(opts));
}
