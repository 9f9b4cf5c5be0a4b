import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Objects in a phase from which a full collection between phases pays for itself. */
export const LARGE_PHASE_OBJECTS = 20_000;

let gc: (() => void) | null | undefined = null;

/**
 * Lets large deployments collect garbage between their phases (see `collectGarbage`). It sets a
 * V8 flag (`--expose-gc`) for the whole process, so library code never does it on its own: the
 * process's owner opts in once (the CLI's bin.ts, the restore thread of `ferry serve`, a program
 * that embeds Ferry and wants the lower peak).
 */
export function enableGarbageCollectionBetweenPhases(): void {
  if (gc === null) gc = undefined;
}

/**
 * A full garbage collection, now, when the process opted in. A 100k-object restore keeps ~450 MB
 * live, but between two of V8's own major collections the heap grew to ~900 MB of mostly dead
 * parse and plan garbage, which put the process over 1 GiB RSS. Collecting where one large phase
 * hands over to the next (read → plan → write) costs ~0.1-0.3 s at that size and keeps the peak
 * near the live size. The technique is jest-leak-detector's: expose `gc` once, in a fresh context.
 */
export function collectGarbage(): void {
  if (gc === undefined) {
    try {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as () => void;
    } catch {
      gc = null;
    }
  }
  gc?.();
}
