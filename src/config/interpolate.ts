import type { ErrorCode } from '../errors/catalog.js';
import { displayPath, pointerOf } from './pointer.js';

export interface InterpolationProblem {
  code: ErrorCode;
  message: string;
  pointer: string;
}

export interface InterpolationResult {
  value: unknown;
  problems: InterpolationProblem[];
  /** Values read from variables whose name says they are secret. */
  secrets: string[];
}

/** A variable name that marks its value as secret (masked in every output). */
const SECRET_NAME_RE = /SECRET|TOKEN|PASSWORD|KEY/i;
// `$${` is an escaped literal `${`; `${...}` a reference; a lone `${` is unterminated.
const REFERENCE_RE = /\$\$\{|\$\{([^}]*)\}|\$\{/g;
const BODY_RE = /^([A-Za-z_][A-Za-z0-9_]*)(?::-([\s\S]*))?$/;

/**
 * Replaces `${VAR}` and `${VAR:-default}` in every string value (not in keys). A variable that is
 * unset or empty takes the default; without a default it is a FERRY_E_CONFIG_ENV problem naming
 * the variable and the key it is used in.
 */
export function interpolateEnv(raw: unknown, env: Readonly<Record<string, string | undefined>>): InterpolationResult {
  const problems: InterpolationProblem[] = [];
  const secrets: string[] = [];

  const visit = (value: unknown, path: (string | number)[]): unknown => {
    if (typeof value === 'string') return value.includes('${') ? interpolateString(value, path) : value;
    if (Array.isArray(value)) return value.map((v, i) => visit(v, [...path, i]));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = visit(v, [...path, k]);
      return out;
    }
    return value;
  };

  const interpolateString = (text: string, path: (string | number)[]): string => {
    const pointer = pointerOf(path);
    return text.replace(REFERENCE_RE, (match, body: string | undefined) => {
      if (match === '$${') return '${';
      const parsed = body === undefined ? null : BODY_RE.exec(body);
      if (!parsed) {
        problems.push({
          code: 'FERRY_E_CONFIG',
          pointer,
          message: `${displayPath(pointer)}: malformed variable reference "${match}"; write \${NAME} or \${NAME:-default} (\$\${ for a literal \${)`,
        });
        return match;
      }
      const [, name, fallback] = parsed;
      const set = env[name];
      let resolved: string;
      if (set !== undefined && set !== '') resolved = set;
      else if (fallback !== undefined) resolved = fallback;
      else {
        problems.push({
          code: 'FERRY_E_CONFIG_ENV',
          pointer,
          message: `environment variable ${name} is not set (used in ${displayPath(pointer)}); set it or write \${${name}:-default}`,
        });
        return '';
      }
      if (SECRET_NAME_RE.test(name) && resolved !== '') secrets.push(resolved);
      return resolved;
    });
  };

  return { value: visit(raw, []), problems, secrets };
}
