#!/usr/bin/env node
// The composition root: the one file that wires the shells together (the CLI and the GitHub
// Actions reporter), and the only one that sets the process's exit status.
import { createInterface } from 'node:readline/promises';
import { createActionsReporter } from '../github/ci-reporter.js';
import { enableGarbageCollectionBetweenPhases } from '../restore/heap.js';
import { run } from './main.js';

// A CLI process is Ferry's own: large deployments may collect garbage between their phases.
enableGarbageCollectionBetweenPhases();
const streams = { cwd: process.cwd(), env: process.env, stdout: process.stdout, stderr: process.stderr };
const code = await run(process.argv.slice(2), {
  ...streams,
  ci: createActionsReporter(streams),
  confirm: process.stdin.isTTY
    ? async (question) => {
        const rl = createInterface({ input: process.stdin, output: process.stderr });
        try {
          return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
        } finally {
          rl.close();
        }
      }
    : undefined,
});
process.exitCode = code;
