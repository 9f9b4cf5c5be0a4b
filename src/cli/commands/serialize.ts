import type { CliIo } from '../io.js';
import pull from './pull.js';

/** `ferry serialize --env E` is `ferry pull --from E`: the same files, written the same way. */
export default async function serialize(io: CliIo, args: unknown[], opts: Record<string, any>): Promise<number> {
  return pull(io, args, { ...opts, from: opts.env });
}
