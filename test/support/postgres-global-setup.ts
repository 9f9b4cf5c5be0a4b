/**
 * vitest globalSetup: one throwaway PostgreSQL cluster for the whole run (see postgres-cluster.ts),
 * handed to test files as `inject('ferryPostgresUrl')` ('' when PostgreSQL is not installed: the
 * PostgreSQL variants of the suites are then skipped, except in CI, where that is an error).
 */
import type { TestProject } from 'vitest/node';
import { startPostgresCluster, type PostgresCluster } from './postgres-cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    ferryPostgresUrl: string;
  }
}

let cluster: PostgresCluster | undefined;

export default async function setup(project: TestProject): Promise<() => void> {
  const given = process.env.FERRY_TEST_POSTGRES_URL;
  if (given) {
    project.provide('ferryPostgresUrl', given);
    return () => undefined;
  }
  cluster = await startPostgresCluster();
  if (!cluster && process.env.CI) {
    throw new Error('CI=true but PostgreSQL is not installed (no initdb): install it (.ci/run does, with apt-get) or set FERRY_TEST_POSTGRES_URL.');
  }
  project.provide('ferryPostgresUrl', cluster?.url ?? '');
  return () => cluster?.stop();
}
