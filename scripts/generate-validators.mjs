// Writes generated/*.js (ES modules): the standalone ajv validators of Ferry's own schemas (see
// src/codegen/validators.ts). Run after `tsc` (it imports dist/); `npm run generate` does both.
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const { generateValidatorModules } = await import(join(root, 'dist', 'codegen', 'validators.js'));
mkdirSync(join(root, 'generated'), { recursive: true });
for (const m of generateValidatorModules()) {
  writeFileSync(join(root, 'generated', m.file), m.source);
  process.stdout.write(`wrote generated/${m.file} (${m.source.length} bytes)\n`);
}
