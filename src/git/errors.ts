import { FerryError, InternalError } from '../errors/index.js';

/** The one message for a revision git cannot resolve to a commit, from either adapter. */
export function unknownRevision(rev: string, detail?: string): FerryError {
  return new FerryError('FERRY_E_REVISION', `unknown revision \`${rev}\`${detail ? ` (${detail})` : ''}`, {
    data: { revision: rev },
  });
}

export function gitError(message: string, data: Record<string, unknown> = {}, cause?: unknown): FerryError {
  return new FerryError('FERRY_E_GIT', message, { data, cause });
}

export function missingObject(oid: string): FerryError {
  return gitError(`git object ${oid} is missing from the repository (a shallow or partial clone?)`, { oid });
}

const OID_RE = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

export function isFullOid(s: string): boolean {
  return OID_RE.test(s);
}

/** Blob ids come from trees, never from users: anything else is a bug (and must not reach git's stdin). */
export function assertOid(oid: string): void {
  if (!OID_RE.test(oid)) throw new InternalError(`not a git object id: ${JSON.stringify(oid)}`);
}
