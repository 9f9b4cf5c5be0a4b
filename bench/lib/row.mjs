// One line of a results table: a figure beside its floor from the same run, and its target.

/**
 * @param {object} r
 * @param {string} r.figure what was measured
 * @param {number} [r.value] the figure (ms, KiB, x or %)
 * @param {'ms'|'kb'|'x'|'%'} r.unit
 * @param {string} [r.floor] what the floor is
 * @param {number} [r.floorValue] the floor, same unit
 * @param {string} [r.target] the target, as text
 * @param {boolean|null} [r.pass] null when there is no target
 */
export function row(r) {
  const ratio = r.ratio ?? (r.value !== undefined && r.floorValue ? r.value / r.floorValue : undefined);
  return { pass: null, target: '—', ...r, ratio };
}

export const atMost = (value, limit) => (value === undefined ? false : value <= limit);
export const below = (value, limit) => (value === undefined ? false : value < limit);

/**
 * A target about how cost scales with the repository (a share of a full load, a ratio to a full
 * redeploy) is set for 100k items: below that, fixed costs (start-up, compiling schemas) dominate
 * and the ratio says nothing about scaling, so it is reported without a verdict.
 */
export function scaleTarget(meta, target, pass) {
  return meta.items >= 100_000 ? { target, pass } : { target: `${target} (set for 100k; reported only)`, pass: null };
}
