// Small numeric and formatting helpers.

export function median(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return undefined;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** Median of one field over several probe results. */
export const med = (results, field) => median(results.map((r) => r[field]));

export function fmtMs(ms) {
  if (ms === undefined) return '—';
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  return `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
}

export const fmtMiB = (kb) => (kb === undefined ? '—' : `${(kb / 1024).toFixed(0)} MiB`);

export function fmtValue(value, unit) {
  if (value === undefined || value === null) return '—';
  if (unit === 'ms') return fmtMs(value);
  if (unit === 'kb') return fmtMiB(value);
  if (unit === 'x') return `${value.toFixed(1)}x`;
  if (unit === '%') return `${value.toFixed(1)}%`;
  return String(value);
}
