import type { ErrorObject } from 'ajv';
import { config as validateConfigSchema } from '../../generated/config-validator.js';
import type { ErrorCode } from '../errors/catalog.js';
import { locatePointer } from '../format/positions.js';
import { parseYaml } from '../format/parse-yaml.js';
import { compareCodePoints } from '../model/compare.js';
import type { CodeNameFilter, EnvironmentConfig, RepositoryConfig } from '../model/config.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { CODE_NAME_PATTERN, OBJECT_KINDS, type ObjectKind } from '../model/objects.js';
import type { RestoreMode } from '../model/store.js';
import { orderChain } from './chain.js';
import { ENV_VAR_NAME_PATTERN, EXTENSION_PATTERN, SIZE_PATTERN } from './config-schema.js';
import { DEFAULT_CONFIG } from './defaults.js';
import { interpolateEnv } from './interpolate.js';
import { displayPath, pointerOf, pointerSegments } from './pointer.js';
import { parseSize } from './size.js';

export const CONFIG_FILE = 'repository.config.yaml';

export type Env = Readonly<Record<string, string | undefined>>;

export interface ResolveConfigOptions {
  /** Path of the config file for diagnostics (default `repository.config.yaml`). */
  file?: string;
  /** Text of the config file, to give diagnostics a line and column. */
  text?: string;
}

export interface ResolveConfigResult {
  /** Present when there is no error. */
  config?: RepositoryConfig;
  diagnostics: Diagnostic[];
}

/** The shape the schema admits (after interpolation). */
interface RawConfig {
  folder?: string;
  kinds?: { include?: ObjectKind[]; exclude?: ObjectKind[] };
  filters?: Partial<Record<ObjectKind, { include?: string[]; exclude?: string[] }>>;
  restoreMode?: RestoreMode;
  maxFileSize?: number | string;
  assets?: { maxSize?: number | string; extensions?: string[] };
  releaseTagPattern?: string;
  environments?: {
    name: string;
    from?: string;
    store: string;
    secretEnv?: string;
    durable?: boolean;
    delivery?: { apiKey: string; tokens?: Record<string, string>; publicAssets?: boolean };
  }[];
}

/**
 * Turns the parsed `repository.config.yaml` into a `RepositoryConfig`: interpolates `${VAR}` and
 * `${VAR:-default}` from `env`, validates against the schema, applies defaults, parses sizes,
 * normalizes extensions, and checks the environment chain (returned in chain order). Never
 * throws: problems come back as diagnostics, and `config` is absent when there is an error.
 * `config.secrets` collects values to mask: those of variables named like secrets (SECRET,
 * TOKEN, PASSWORD, KEY), passwords in store URLs, and the value of each `secretEnv` variable.
 *
 * @example resolveConfig({ folder: 'content', environments: [{ name: 'dev', store: 'sqlite:.ferry/dev.db' }] }, process.env)
 */
export function resolveConfig(raw: unknown, env: Env, opts: ResolveConfigOptions = {}): ResolveConfigResult {
  const file = opts.file ?? CONFIG_FILE;
  const diagnostics: Diagnostic[] = [];
  const report = (code: ErrorCode, message: string, pointer: string): void => {
    diagnostics.push({ code, severity: 'error', message, file, pointer });
  };
  const finish = (config?: RepositoryConfig): ResolveConfigResult => {
    const located = opts.text === undefined ? diagnostics : diagnostics.map((d) => locate(d, opts.text as string));
    return { config: diagnostics.length ? undefined : config, diagnostics: located };
  };

  // An empty file is an empty map: every key has a default.
  const interpolated = interpolateEnv(raw ?? {}, env);
  for (const p of interpolated.problems) report(p.code, p.message, p.pointer);

  // ajv's code for REPOSITORY_CONFIG_SCHEMA, generated at build time (src/codegen/validators.ts).
  const validate = validateConfigSchema;
  if (!validate(interpolated.value)) {
    for (const e of validate.errors ?? []) {
      const { message, pointer } = describeSchemaError(e);
      // A value emptied by a missing variable is already reported as that.
      if (!diagnostics.some((d) => d.pointer === pointer)) report('FERRY_E_CONFIG', message, pointer);
    }
  }
  if (diagnostics.length) return finish();

  const value = interpolated.value as RawConfig;
  const folder = normalizeFolder(value.folder ?? DEFAULT_CONFIG.folder);
  if (typeof folder !== 'string') report('FERRY_E_CONFIG', `folder: ${folder.error} (got "${value.folder}")`, '/folder');

  const include = value.kinds?.include?.length ? value.kinds.include : OBJECT_KINDS;
  const exclude = new Set(value.kinds?.exclude ?? []);
  const kinds = OBJECT_KINDS.filter((k) => include.includes(k) && !exclude.has(k));
  if (kinds.length === 0) report('FERRY_E_CONFIG', 'kinds: every object kind is excluded; the repository would hold nothing', '/kinds');

  const filters: Partial<Record<ObjectKind, CodeNameFilter>> = {};
  for (const kind of OBJECT_KINDS) {
    const f = value.filters?.[kind];
    if (f) filters[kind] = { include: [...(f.include ?? [])], exclude: [...(f.exclude ?? [])] };
  }

  const extensions = [
    ...new Set((value.assets?.extensions ?? DEFAULT_CONFIG.assets.extensions).map((e) => e.replace(/^\./, '').toLowerCase())),
  ];

  const environments = resolveEnvironments(value.environments ?? [], report);
  const secrets = new Set(interpolated.secrets);
  for (const e of environments ?? []) {
    for (const s of storePasswords(e.store)) secrets.add(s);
    // The sync secret itself never appears in the file, but it is in the environment: mask it too.
    const syncSecret = e.secretEnv === undefined ? undefined : env[e.secretEnv];
    if (syncSecret) secrets.add(syncSecret);
  }

  if (typeof folder !== 'string' || !environments) return finish();
  return finish({
    folder,
    kinds,
    filters,
    restoreMode: value.restoreMode ?? DEFAULT_CONFIG.restoreMode,
    assets: {
      maxSize: value.assets?.maxSize === undefined ? DEFAULT_CONFIG.assets.maxSize : parseSize(value.assets.maxSize),
      extensions,
    },
    maxFileSize: value.maxFileSize === undefined ? DEFAULT_CONFIG.maxFileSize : parseSize(value.maxFileSize),
    releaseTagPattern: value.releaseTagPattern ?? DEFAULT_CONFIG.releaseTagPattern,
    environments,
    secrets: [...secrets].sort(compareCodePoints),
  });
}

/**
 * Parses and resolves the text of `repository.config.yaml` (YAML errors come back as diagnostics).
 *
 * @example parseConfigText(readFileSync('repository.config.yaml', 'utf8'), process.env)
 */
export function parseConfigText(text: string, env: Env, file: string = CONFIG_FILE): ResolveConfigResult {
  const parsed = parseYaml(text, { filename: file, maxFileSize: DEFAULT_CONFIG.maxFileSize });
  if (!parsed.ok) return { diagnostics: parsed.diagnostics };
  return resolveConfig(parsed.value, env, { file, text });
}

function resolveEnvironments(
  raw: NonNullable<RawConfig['environments']>,
  report: (code: ErrorCode, message: string, pointer: string) => void,
): EnvironmentConfig[] | undefined {
  const firstIndex = new Map<string, number>();
  let duplicate = false;
  raw.forEach((e, i) => {
    const first = firstIndex.get(e.name);
    if (first === undefined) firstIndex.set(e.name, i);
    else {
      duplicate = true;
      report('FERRY_E_CONFIG', `environment name ${e.name} is declared twice (environments[${first}] and environments[${i}]); names must be unique`, `/environments/${i}/name`);
    }
  });
  if (duplicate) return undefined;

  const chain = orderChain(raw);
  for (const p of chain.problems) report('FERRY_E_CHAIN', p.message, p.pointer);
  if (!chain.order) return undefined;

  return chain.order.map((name): EnvironmentConfig => {
    const e = raw[firstIndex.get(name) as number];
    return {
      name: e.name,
      ...(e.from !== undefined ? { from: e.from } : {}),
      store: e.store,
      ...(e.secretEnv !== undefined ? { secretEnv: e.secretEnv } : {}),
      ...(e.durable !== undefined ? { durable: e.durable } : {}),
      ...(e.delivery ? { delivery: { apiKey: e.delivery.apiKey, tokens: { ...(e.delivery.tokens ?? {}) }, ...(e.delivery.publicAssets !== undefined ? { publicAssets: e.delivery.publicAssets } : {}) } } : {}),
    };
  });
}

/** The repository folder as a clean relative POSIX path, or why it is not one. */
function normalizeFolder(folder: string): string | { error: string } {
  if (folder.includes('\\')) return { error: 'use forward slashes' };
  if (folder.startsWith('/') || /^[A-Za-z]:/.test(folder)) return { error: 'must be relative to the repository root' };
  const parts = folder.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) return { error: 'must stay inside the repository (no `..`)' };
  return parts.length ? parts.join('/') : '.';
}

/** Passwords inside a store URL (`postgres://user:pw@host/db`), raw and decoded, to mask them. */
function storePasswords(store: string): string[] {
  let url: URL;
  try {
    url = new URL(store);
  } catch {
    return [];
  }
  if (!url.password) return [];
  const out = new Set([url.password]);
  try {
    out.add(decodeURIComponent(url.password));
  } catch {
    // keep the raw form only
  }
  return [...out];
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  object: 'a map',
  array: 'a list',
};
const PATTERN_NAMES: Readonly<Record<string, string>> = {
  [CODE_NAME_PATTERN]: 'must be a name of lower-case letters, digits, ".", "_" and "-", starting with a letter or digit',
  [ENV_VAR_NAME_PATTERN]: 'must be an environment variable name, e.g. FERRY_SECRET_PROD',
  [EXTENSION_PATTERN]: 'must be a file extension, e.g. jpg',
};
const SIZE_HINT = 'must be a size: a number of bytes or a string like 512KB, 10MB, 1GB';

/** One ajv error as a message naming the key, the expectation and the value. */
function describeSchemaError(e: ErrorObject): { message: string; pointer: string } {
  const got = (): string => (e.data === undefined ? '' : ` (got ${JSON.stringify(e.data)})`);
  const at = e.instancePath;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = (e.params as { additionalProperty: string }).additionalProperty;
      const allowed = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      return {
        pointer: pointerOf([...pointerSegments(at), key]),
        message: `${at ? `${displayPath(at)}: ` : ''}unknown key "${key}"${allowed.length ? ` (allowed: ${allowed.join(', ')})` : ''}`,
      };
    }
    case 'required': {
      const key = (e.params as { missingProperty: string }).missingProperty;
      return { pointer: at, message: `${displayPath(at)}: missing required key "${key}"` };
    }
    case 'type':
    case 'pattern':
      if ((e.parentSchema as { pattern?: string } | undefined)?.pattern === SIZE_PATTERN) {
        return { pointer: at, message: `${displayPath(at)}: ${SIZE_HINT}${got()}` };
      }
      if (e.keyword === 'type') {
        const types = String((e.params as { type: string }).type).split(',');
        return { pointer: at, message: `${displayPath(at)}: must be ${types.map((t) => TYPE_NAMES[t] ?? t).join(' or ')}${got()}` };
      }
      {
        const pattern = (e.params as { pattern: string }).pattern;
        return { pointer: at, message: `${displayPath(at)}: ${PATTERN_NAMES[pattern] ?? `must match ${pattern}`}${got()}` };
      }
    case 'enum':
      return {
        pointer: at,
        message: `${displayPath(at)}: must be one of ${((e.params as { allowedValues: unknown[] }).allowedValues).join(', ')}${got()}`,
      };
    case 'minLength':
      return { pointer: at, message: `${displayPath(at)}: must not be empty` };
    case 'uniqueItems':
      return { pointer: at, message: `${displayPath(at)}: lists the same value twice${got()}` };
    case 'minimum':
      return { pointer: at, message: `${displayPath(at)}: ${SIZE_HINT}${got()}` };
    case 'propertyNames':
      return { pointer: at, message: `${displayPath(at)}: key ${JSON.stringify((e.params as { propertyName: string }).propertyName)} is not a valid name` };
    default:
      return { pointer: at, message: `${displayPath(at)}: ${e.message ?? 'is invalid'}${got()}` };
  }
}

/** Adds the line and column of the key the pointer names (the format helper falls back to the nearest existing key). */
function locate(d: Diagnostic, text: string): Diagnostic {
  if (d.pointer === undefined) return d;
  const pos = locatePointer(text, d.pointer, { key: true });
  return pos ? { ...d, line: pos.line, column: pos.column } : d;
}
