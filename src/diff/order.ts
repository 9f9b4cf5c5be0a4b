import type { Change, ChangeOp } from '../model/index.js';
import { KIND_ORDER, compareCodePoints } from '../model/index.js';

const OP_ORDER: Readonly<Record<ChangeOp, number>> = { delete: 0, rename: 1, update: 2, create: 3 };

/** The changeset order: kind (dependency order), then code name, then key; op and path break ties. */
export function compareChanges(a: Change, b: Change): number {
  return (
    KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
    compareCodePoints(a.codeName, b.codeName) ||
    compareCodePoints(a.key, b.key) ||
    OP_ORDER[a.op] - OP_ORDER[b.op] ||
    compareCodePoints(a.path, b.path)
  );
}
