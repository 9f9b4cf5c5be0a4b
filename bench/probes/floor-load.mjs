// Floor of "load + validate the folder": list the folder with a readdir walk, read every file and
// parse every YAML file with js-yaml 4 (CORE_SCHEMA), keeping the parsed objects (a loader must).

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { probe } from './probe.mjs';

function walk(dir, out) {
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, d.name);
    if (d.isDirectory()) walk(p, out);
    else out.push(p);
  }
}

await probe(async ({ root, folder }) => {
  const t0 = performance.now();
  const files = [];
  walk(join(root, folder), files);
  const parsed = [];
  let bytes = 0;
  for (const f of files) {
    if (f.endsWith('.yaml')) {
      const text = readFileSync(f, 'utf8');
      bytes += text.length;
      parsed.push(yaml.load(text, { schema: yaml.CORE_SCHEMA }));
    } else {
      bytes += readFileSync(f).length;
    }
  }
  const ms = performance.now() - t0;
  return { ms, files: files.length, parsed: parsed.length, bytes };
});
