import { defineConfig } from 'vitest/config';
import { findPostgresBin } from './test/support/postgres-cluster.mjs';

/**
 * Two projects: `default` runs every test (store-parametrized suites on SQLite); `postgres` runs the suites that take their store from
 * the project (test/support/postgres.ts `storeUnderTest()`) again against PostgreSQL. The
 * postgres project exists when PostgreSQL is installed (or FERRY_TEST_POSTGRES_URL is set); one
 * throwaway cluster serves both (test/support/postgres-global-setup.ts).
 */
const STORE_SUITES = [
  'test/integration/delivery-api.test.ts',
  'test/integration/delivery-sync.test.ts',
  'test/integration/contentstack-sdk.test.ts',
  // Incremental deploys into the store under test, checked against fresh restores (on SQLite).
  'test/integration/differential-deploy.test.ts',
  'test/integration/differential-deploy-create.test.ts',
  'test/integration/differential-deploy-createupdate.test.ts',
];
const withPostgres = Boolean(process.env.FERRY_TEST_POSTGRES_URL) || findPostgresBin() !== undefined;

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'default',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          globalSetup: ['test/support/postgres-global-setup.ts'],
          provide: { ferryStoreUnderTest: 'sqlite' },
        },
      },
      ...(withPostgres
        ? [
            {
              extends: true,
              test: {
                name: 'postgres',
                include: STORE_SUITES,
                globalSetup: ['test/support/postgres-global-setup.ts'],
                provide: { ferryStoreUnderTest: 'postgres' },
              },
            },
          ]
        : []),
    ],
  },
});
