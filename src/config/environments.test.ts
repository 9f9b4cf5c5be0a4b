import { describe, expect, it } from 'vitest';
import { FerryError } from '../errors/ferry-error.js';
import type { RepositoryConfig } from '../model/config.js';
import { DEFAULT_CONFIG } from './defaults.js';
import { getEnvironment, nextEnvironment, previousEnvironment } from './environments.js';

const config: RepositoryConfig = {
  ...DEFAULT_CONFIG,
  environments: [
    { name: 'dev', store: 'sqlite:dev.db' },
    { name: 'staging', from: 'dev', store: 'sqlite:staging.db' },
    { name: 'prod', from: 'staging', store: 'sqlite:prod.db' },
  ],
};

describe('environments', () => {
  it('finds an environment by name', () => {
    expect(getEnvironment(config, 'staging').store).toBe('sqlite:staging.db');
  });

  it('refuses an unknown name with FERRY_E_ENV_UNKNOWN listing the known ones', () => {
    let error: unknown;
    try {
      getEnvironment(config, 'qa');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FerryError);
    expect((error as FerryError).code).toBe('FERRY_E_ENV_UNKNOWN');
    expect((error as FerryError).message).toContain('"qa"');
    expect((error as FerryError).message).toContain('dev, staging, prod');
    expect(() => nextEnvironment(config, 'qa')).toThrow(FerryError);
    expect(() => getEnvironment(DEFAULT_CONFIG, 'dev')).toThrow(/declares no environments/);
  });

  it('walks the chain both ways', () => {
    expect(nextEnvironment(config, 'dev')?.name).toBe('staging');
    expect(nextEnvironment(config, 'staging')?.name).toBe('prod');
    expect(nextEnvironment(config, 'prod')).toBeUndefined();
    expect(previousEnvironment(config, 'prod')?.name).toBe('staging');
    expect(previousEnvironment(config, 'dev')).toBeUndefined();
  });
});
