// What a scaffolded content repository depends on: the npm spec of the Ferry that runs `ferry init`.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

export interface FerrySpec {
  /** The npm spec written to the scaffold's devDependencies (`^0.1.0`, `file:../ferry`, `git+https://…`). */
  spec: string;
  /** Where it came from, for the message `ferry init` prints. */
  source: 'option' | 'registry' | 'tarball' | 'git' | 'path' | 'version';
}

/** Registries publish tarballs under `<registry>/<name>/-/<name>-<version>.tgz`. */
const REGISTRY_TARBALL = /^https?:\/\/[^/]+\/.*\/-\/[^/]+\.tgz$/;

/**
 * The spec of the Ferry installed at `packageRoot`, as seen from `targetRoot` (the new content
 * repository): the version range when it came from a registry (it is published), else the tarball,
 * git URL or folder it was installed from, so `npm install` in the scaffold installs the same
 * Ferry. npm records that origin as `resolved` in `node_modules/.package-lock.json`; a Ferry that
 * does not sit in a `node_modules` folder is a checkout or unpacked copy, depended on by its path.
 * `version` is the answer when nothing tells (an old npm without a hidden lockfile).
 */
export function installedFerrySpec(packageRoot: string, targetRoot: string, version: string): FerrySpec {
  const root = realpathOr(resolve(packageRoot));
  const parts = root.split(sep);
  const nm = parts.lastIndexOf('node_modules');
  if (nm < 0) return { spec: fileSpec(root, targetRoot), source: 'path' };
  const projectRoot = parts.slice(0, nm).join(sep) || sep;
  const lockKey = parts.slice(nm).join('/');
  const resolved = lockedResolved(join(projectRoot, 'node_modules', '.package-lock.json'), lockKey) ?? lockedResolved(join(projectRoot, 'package-lock.json'), lockKey);
  if (!resolved) return { spec: `^${version}`, source: 'version' };
  if (REGISTRY_TARBALL.test(resolved)) return { spec: `^${version}`, source: 'registry' };
  if (resolved.startsWith('file:')) {
    const path = resolve(projectRoot, resolved.slice('file:'.length));
    return { spec: fileSpec(path, targetRoot), source: resolved.endsWith('.tgz') ? 'tarball' : 'path' };
  }
  if (/^(git\+|git:|github:|https?:\/\/.*\.git)/.test(resolved)) return { spec: resolved, source: 'git' };
  if (/^https?:\/\//.test(resolved)) return { spec: resolved, source: 'tarball' };
  return { spec: `^${version}`, source: 'version' };
}

/**
 * A spec given on the command line: local paths (`../ferry.tgz`, `file:./ferry`) are read from
 * where the command runs, and written relative to the scaffold, where npm reads them; anything
 * else (a version range, `github:owner/ferry#v0.1.0`, a URL) is written as given.
 */
export function normalizeFerrySpec(spec: string, cwd: string, targetRoot: string): FerrySpec {
  const path = spec.startsWith('file:') ? spec.slice('file:'.length) : /^(\.{1,2}[\\/]|\/|~\/)/.test(spec) || (/\.tgz$/.test(spec) && !/^[a-z+]+:/i.test(spec)) ? spec : undefined;
  if (path === undefined) return { spec, source: 'option' };
  return { spec: fileSpec(resolve(cwd, path), targetRoot), source: 'option' };
}

/** `file:` plus the path relative to the target (as `npm install ../ferry` writes it), absolute when the two share no folder. */
function fileSpec(path: string, targetRoot: string): string {
  const rel = relative(resolve(targetRoot), path).split(sep).join('/');
  if (!rel || isAbsolute(rel) || rel.split('/').filter((p) => p === '..').length > 6) return `file:${path.split(sep).join('/')}`;
  return `file:${rel.startsWith('.') ? rel : `./${rel}`}`;
}

function lockedResolved(lockFile: string, key: string): string | undefined {
  if (!existsSync(lockFile)) return undefined;
  try {
    const lock = JSON.parse(readFileSync(lockFile, 'utf8')) as { packages?: Record<string, { resolved?: string; link?: boolean }> };
    const entry = lock.packages?.[key];
    return typeof entry?.resolved === 'string' ? entry.resolved : undefined;
  } catch {
    // An unreadable lockfile only means we cannot tell; the caller falls back to the version.
    return undefined;
  }
}

function realpathOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

