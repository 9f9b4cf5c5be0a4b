// Markdown tables of the results (RESULTS.md and stdout).

import { fmtValue } from './stats.mjs';

const esc = (s) => String(s ?? '').replace(/\|/g, '\\|');
const verdict = (pass) => (pass === true ? 'pass' : pass === false ? '**MISS**' : '');

export function table(rows) {
  const lines = ['| figure | Ferry | floor (same run) | floor | ratio | target | result |', '| --- | ---: | --- | ---: | ---: | --- | --- |'];
  for (const r of rows) {
    const ratio = r.ratio !== undefined && r.unit !== 'x' && r.unit !== '%' ? `${r.ratio.toFixed(r.ratio < 10 ? 2 : 1)}x` : '';
    lines.push(`| ${esc(r.figure)} | ${fmtValue(r.value, r.unit)} | ${esc(r.floor ?? '')} | ${r.floorValue !== undefined ? fmtValue(r.floorValue, r.unit) : ''} | ${ratio} | ${esc(r.target)} | ${verdict(r.pass)} |`);
  }
  return lines.join('\n');
}

export function machineSection(m) {
  return [
    `- date: ${m.date}`,
    `- machine: ${m.nproc} cores (${m.cpu}), ${m.memGiB} GiB memory (${m.freeGiB} GiB free at start), load average at start ${m.load}`,
    `- ${m.os}; Node ${m.node}; git ${m.git}`,
    `- ${m.libs}`,
    `- Ferry at ${m.commit} (dist/ built by \`npm run bench\` just before the run)`,
  ].join('\n');
}
