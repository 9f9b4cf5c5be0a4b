// Floor of a changeset between two commits: `git diff-tree -r --no-renames -z` and one
// `git cat-file --batch` reading the changed blobs, both sides (a field-level diff needs the old
// and the new bytes). No parsing.

import { catFileBatch, diffTree } from './git-plumbing.mjs';
import { probe } from './probe.mjs';

const ZERO = /^0+$/;

await probe(async ({ repo, base, head, folder }) => {
  const t0 = performance.now();
  const changes = await diffTree(repo, base, head, folder);
  const oids = [];
  for (const c of changes) {
    if (!ZERO.test(c.oldOid)) oids.push(c.oldOid);
    if (!ZERO.test(c.newOid)) oids.push(c.newOid);
  }
  const diffMs = performance.now() - t0;
  let bytes = 0;
  await catFileBatch(repo, oids, (_i, b) => {
    bytes += b.length;
  });
  const ms = performance.now() - t0;
  return { ms, diffMs, readMs: ms - diffMs, paths: changes.length, blobs: oids.length, bytes };
});
