import { compareCodePoints } from '../model/index.js';

/**
 * The semantic view of one content file for `git diff` (`diff.ferry.textconv`): every value on
 * its own line under its full path, so git's line diff reads as a field-level diff:
 *
 *     variants.en-US.status: published
 *     variants.en-US.fields.title: Coffee origins
 *     variants.en-US.fields.body: |
 *       <p>Coffee grows in the bean belt.</p>
 *
 * Maps are sorted by key; list items keep their order as `[0]`, `[1]`.
 */
export function renderTextconv(value: unknown): string {
  const lines: string[] = [];
  walk(value, '', lines);
  return lines.join('\n') + (lines.length ? '\n' : '');
}

function walk(value: unknown, path: string, out: string[]): void {
  if (Array.isArray(value)) {
    if (!value.length) out.push(`${path || '.'}: []`);
    value.forEach((v, i) => walk(v, `${path}[${i}]`, out));
    return;
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort(compareCodePoints);
    if (!keys.length) out.push(`${path || '.'}: {}`);
    for (const k of keys) walk((value as Record<string, unknown>)[k], path ? `${path}.${k}` : k, out);
    return;
  }
  if (typeof value === 'string' && value.includes('\n')) {
    out.push(`${path}: |`);
    for (const line of value.replace(/\n$/, '').split('\n')) out.push(`  ${line}`);
    return;
  }
  out.push(`${path}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
}
