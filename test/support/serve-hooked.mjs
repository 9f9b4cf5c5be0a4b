#!/usr/bin/env node
// `ferry serve` with test hooks (crash tests, a foreign format version), wired as dist/cli/bin.js
// wires the CLI but with `serveHooks` in its io: shipped code reads no FERRY_TEST_* variable.
// Usage: node serve-hooked.mjs '<hooks JSON>' serve --env E …
import { run } from '../../dist/cli/main.js';
import { createActionsReporter } from '../../dist/github/ci-reporter.js';

const [hooks, ...argv] = process.argv.slice(2);
const streams = { cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr };
process.exitCode = await run(argv, { ...streams, ci: createActionsReporter(streams), serveHooks: JSON.parse(hooks) });
