import type { CommandOutcome } from '../exit-for.js';
import type { CliIo, GlobalOptions } from '../io.js';
import pull from './pull.js';

export interface SerializeFlags extends GlobalOptions {
  env: string;
  out?: string;
}

/** `ferry serialize --env E` is `ferry pull --from E`: the same files, written the same way. */
export default async function serialize(io: CliIo, args: readonly unknown[], flags: SerializeFlags): Promise<CommandOutcome> {
  const { env, ...rest } = flags;
  return pull(io, args, { ...rest, from: env });
}
