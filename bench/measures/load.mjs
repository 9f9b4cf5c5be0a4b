// 1. Load + validate of the working folder vs reading every file and parsing it with js-yaml 4.

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { runProbe } from '../lib/proc.mjs';
import { row, atMost } from '../lib/row.mjs';
import { med } from '../lib/stats.mjs';

export async function measureLoad(meta, { runs, log }) {
  const floors = [];
  const ferry = [];
  // Timed runs use a warm validator cache, as every \`ferry validate\` after the first does; the
  // cold run (first ever, or a fresh CI runner) is measured once and reported beside them.
  rmSync(join(meta.dir, '.ferry', 'cache'), { recursive: true, force: true });
  const cold = await runProbe('ferry-load-validate', { root: meta.dir });
  log(`  load, cold validator cache: ${cold.ms.toFixed(0)} ms (validate ${cold.validateMs.toFixed(0)})`);
  for (let i = 0; i < runs; i++) {
    floors.push(await runProbe('floor-load', { root: meta.dir, folder: 'content' }));
    ferry.push(await runProbe('ferry-load-validate', { root: meta.dir }));
    log(`  load run ${i + 1}: ferry ${ferry[i].ms.toFixed(0)} ms (load ${ferry[i].loadMs.toFixed(0)} + validate ${ferry[i].validateMs.toFixed(0)}), floor ${floors[i].ms.toFixed(0)} ms`);
  }
  const value = med(ferry, 'ms');
  const floorValue = med(floors, 'ms');
  const notes = [];
  if (ferry[0].errors) notes.push(`validation reported ${ferry[0].errors} error(s) on the generated folder, e.g. ${ferry[0].firstError}`);
  return {
    rows: [
      row({ figure: 'load + validate, working folder (in-process)', value, unit: 'ms', floor: 'readdir walk + read + js-yaml 4 CORE parse', floorValue, target: '≤ 2x floor', pass: atMost(value / floorValue, 2), profile: () => runProbe('ferry-load-validate', { root: meta.dir }) }),
      row({ figure: '  of which load (readSnapshot)', value: med(ferry, 'loadMs'), unit: 'ms', floor: 'same floor', floorValue }),
      row({ figure: '  of which validate (validateSnapshot)', value: med(ferry, 'validateMs'), unit: 'ms' }),
      row({ figure: 'load + validate, cold validator cache (first run; 1 run)', value: cold.ms, unit: 'ms', floor: 'same floor', floorValue, target: 'reported' }),
      row({ figure: 'peak RSS, load + validate', value: med(ferry, 'maxRssKb'), unit: 'kb', floor: 'floor holding every parsed file', floorValue: med(floors, 'maxRssKb') }),
    ],
    notes,
    raw: { ferry, floors },
  };
}
