/**
 * vitest globalSetup: one throwaway PostgreSQL cluster for the whole run (see postgres-cluster.ts),
 * handed to test files as `inject('ferryPostgresUrl')` ('' when PostgreSQL is not installed: the
 * PostgreSQL variants of the suites are then skipped, except in CI, where that is an error).
 */
import type { TestProject } from 'vitest/node';
import { startPostgresCluster, type PostgresCluster } from './postgres-cluster.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    ferryPostgresUrl: string;
    /** Which store the project's store-parametrized suites run against (vitest.config.ts). */
    ferryStoreUnderTest: 'sqlite' | 'postgres';
  }
}

/**
 * Each vitest project runs this setup; they share one cluster through the main process's
 * globalThis, and the last project to finish stops it.
 */
const shared = globalThis as typeof globalThis & { ferryPgCluster?: { started: Promise<PostgresCluster | undefined>; users: number } };

export default async function setup(project: TestProject): Promise<() => void> {
  const given = process.env.FERRY_TEST_POSTGRES_URL;
  if (given) {
    project.provide('ferryPostgresUrl', given);
    return () => undefined;
  }
  shared.ferryPgCluster ??= { started: startPostgresCluster(), users: 0 };
  const state = shared.ferryPgCluster;
  state.users += 1;
  const cluster = await state.started;
  if (!cluster && process.env.CI) {
    throw new Error('CI=true but PostgreSQL is not installed (no initdb): install it (.ci/run does, with apt-get) or set FERRY_TEST_POSTGRES_URL.');
  }
  project.provide('ferryPostgresUrl', cluster?.url ?? '');
  return () => {
    state.users -= 1;
    if (state.users === 0) {
      cluster?.stop();
      shared.ferryPgCluster = undefined;
    }
  };
}
