// 5. Node start-up: `ferry --version` vs `node -e 0`.

import { runCli, runProcess } from '../lib/proc.mjs';
import { row, below } from '../lib/row.mjs';
import { med } from '../lib/stats.mjs';

export async function measureStartup({ runs, log }) {
  const bare = [];
  const version = [];
  for (let i = 0; i < Math.max(runs, 5); i++) {
    bare.push(await runProcess(process.execPath, ['-e', '0']));
    version.push(await runCli(['--version']));
  }
  const value = med(version, 'wallMs');
  log(`  startup: ferry --version ${value.toFixed(0)} ms, node -e 0 ${med(bare, 'wallMs').toFixed(0)} ms`);
  return {
    rows: [
      row({ figure: '`ferry --version`, process wall', value, unit: 'ms', floor: '`node -e 0`', floorValue: med(bare, 'wallMs'), target: '< 300 ms (well under)', pass: below(value, 300), profile: () => runCli(['--version']) }),
      row({ figure: 'peak RSS, `ferry --version`', value: med(version, 'maxRssKb'), unit: 'kb', floor: '`node -e 0`', floorValue: med(bare, 'maxRssKb'), target: 'reported' }),
    ],
    notes: [],
    raw: { bare: bare.map((r) => r.wallMs), version: version.map((r) => r.wallMs) },
  };
}
