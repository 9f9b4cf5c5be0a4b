// The git plumbing the floors use, written the fastest way we know: one `diff-tree` / `ls-tree`
// process each, and one long-lived `git cat-file --batch` fed every oid at once.

import { spawn } from 'node:child_process';

const GIT_ENV = { ...process.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' };

/** Runs git to its end; stdout as a Buffer. */
export function gitOut(cwd, args) {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, env: GIT_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out)) : reject(new Error(`git ${args[0]} exited ${code}: ${Buffer.concat(err)}`))));
  });
}

/** `git diff-tree -r --no-renames -z base head -- prefix` → [{ status, path, oldOid, newOid }]. */
export async function diffTree(cwd, base, head, prefix) {
  const out = (await gitOut(cwd, ['diff-tree', '-r', '--no-renames', '-z', base, head, '--', prefix])).toString('utf8');
  const parts = out.split('\0');
  const changes = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const meta = parts[i];
    if (!meta.startsWith(':')) {
      i -= 1; // a commit id line (not printed for two trees, but be safe)
      continue;
    }
    const [, , oldOid, newOid, status] = meta.slice(1).split(' ');
    changes.push({ status, path: parts[i + 1], oldOid, newOid });
  }
  return changes;
}

/** `git ls-tree -r -z commit -- prefix` → [{ path, oid }] of blobs. */
export async function lsTree(cwd, commit, prefix) {
  const out = (await gitOut(cwd, ['ls-tree', '-r', '-z', commit, '--', prefix])).toString('utf8');
  const entries = [];
  for (const rec of out.split('\0')) {
    const tab = rec.indexOf('\t');
    if (tab < 0) continue;
    const [, type, oid] = rec.slice(0, tab).split(' ');
    if (type === 'blob') entries.push({ path: rec.slice(tab + 1), oid });
  }
  return entries;
}

/**
 * Reads blobs through one `git cat-file --batch`, calling `onBlob(index, bytes)` in order as they
 * arrive (so the caller can parse while git is still reading).
 */
export function catFileBatch(cwd, oids, onBlob) {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['cat-file', '--batch'], { cwd, env: GIT_ENV, stdio: ['pipe', 'pipe', 'pipe'] });
    let buf = Buffer.alloc(0);
    let next = 0;
    let failed = false;
    child.stdout.on('data', (chunk) => {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      let at = 0;
      for (;;) {
        const nl = buf.indexOf(10, at);
        if (nl < 0) break;
        const header = buf.toString('latin1', at, nl);
        const size = Number(header.slice(header.lastIndexOf(' ') + 1));
        if (header.endsWith(' missing') || !Number.isFinite(size)) {
          failed = true;
          reject(new Error(`cat-file: ${header}`));
          child.kill();
          return;
        }
        if (buf.length < nl + 1 + size + 1) break;
        onBlob(next++, buf.subarray(nl + 1, nl + 1 + size));
        at = nl + 1 + size + 1;
      }
      buf = at === buf.length ? Buffer.alloc(0) : Buffer.from(buf.subarray(at));
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (failed) return;
      if (next !== oids.length) reject(new Error(`cat-file stopped after ${next} of ${oids.length} objects (exit ${code})`));
      else resolve(next);
    });
    child.stdin.end(oids.length ? `${oids.join('\n')}\n` : '');
  });
}
