import { ALL_CONFIGS } from '../differential/harness.js';
import { describeDifferential } from '../differential/suite.js';

/** Incremental deploys in Create mode against the mode's rules applied to fresh restores (see test/differential/suite.ts). */
describeDifferential('Create: every incremental deploy gives what the mode makes of a fresh restore', ALL_CONFIGS.filter((c) => c.mode === 'Create'));
