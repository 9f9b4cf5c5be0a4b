import type { Diagnostic } from '../model/index.js';
import { ERROR_CATALOG } from '../errors/catalog.js';
import { renderJsonEnvelope } from './json.js';

function where(d: Diagnostic): string {
  if (!d.file) return '';
  return `${d.file}${d.line ? `:${d.line}` : ''}${d.line && d.column ? `:${d.column}` : ''}`;
}

function objectLabel(d: Diagnostic): string {
  if (!d.object) return '';
  return ` [${d.object.kind}${d.object.codeName ? ` ${d.object.codeName}` : ''}]`;
}

/** `file:line:col: error FERRY_E_X message [kind codeName]`, one per line, like a compiler. */
export function renderDiagnosticsText(diagnostics: readonly Diagnostic[], opts: { color?: boolean } = {}): string {
  const c = opts.color ? { red: '\x1b[31m', yellow: '\x1b[33m', dim: '\x1b[2m', off: '\x1b[0m' } : { red: '', yellow: '', dim: '', off: '' };
  const lines = diagnostics.map((d) => {
    const sev = d.severity === 'error' ? `${c.red}error${c.off}` : `${c.yellow}warning${c.off}`;
    const loc = where(d);
    return `${loc ? `${loc}: ` : ''}${sev} ${c.dim}${d.code}${c.off} ${d.message}${objectLabel(d)}`;
  });
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  lines.push(`${errors} error(s), ${warnings} warning(s)`);
  return lines.join('\n') + '\n';
}

export function renderDiagnosticsJson(diagnostics: readonly Diagnostic[], extra: Record<string, unknown> = {}): string {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  return renderJsonEnvelope(errors ? 'error' : 'ok', { errors, warnings: diagnostics.length - errors, ...extra, diagnostics });
}

/** GitHub workflow commands: one annotation per diagnostic on its file and line. */
export function renderDiagnosticsGithub(diagnostics: readonly Diagnostic[]): string {
  return diagnostics
    .map((d) => {
      const props = [
        d.file ? `file=${escapeProperty(d.file)}` : '',
        d.line ? `line=${d.line}` : '',
        d.column ? `col=${d.column}` : '',
        `title=${escapeProperty(`${d.code} ${ERROR_CATALOG[d.code]?.title ?? ''}`.trim())}`,
      ].filter(Boolean);
      return `::${d.severity === 'error' ? 'error' : 'warning'} ${props.join(',')}::${escapeData(d.message + objectLabel(d))}`;
    })
    .join('\n') + (diagnostics.length ? '\n' : '');
}

export function renderDiagnosticsMarkdown(diagnostics: readonly Diagnostic[]): string {
  if (!diagnostics.length) return '✅ No validation problems.\n';
  const rows = diagnostics.map((d) => `| ${d.severity === 'error' ? '❌' : '⚠️'} | \`${d.code}\` | ${where(d) ? `\`${where(d)}\`` : ''} | ${escapeCell(d.message)} |`);
  return ['| | Code | Where | Message |', '| --- | --- | --- | --- |', ...rows].join('\n') + '\n';
}

function escapeCell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
