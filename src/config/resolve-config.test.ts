import { describe, expect, it } from 'vitest';
import { OBJECT_KINDS } from '../model/objects.js';
import { DEFAULT_CONFIG } from './defaults.js';
import { parseConfigText, resolveConfig } from './resolve-config.js';

const EXAMPLE = {
  folder: 'content',
  kinds: { include: [...OBJECT_KINDS], exclude: [] },
  filters: { contentItem: { include: ['*'], exclude: ['test-*'] } },
  restoreMode: 'CreateUpdate',
  maxFileSize: '1MB',
  assets: { maxSize: '10MB', extensions: ['jpg', 'jpeg', 'png', 'gif', 'webp', 'svg', 'pdf'] },
  releaseTagPattern: 'v*',
  environments: [
    { name: 'dev', store: 'sqlite:.ferry/dev.db' },
    {
      name: 'staging',
      from: 'dev',
      store: '${FERRY_STORE_STAGING:-sqlite:.ferry/staging.db}',
      secretEnv: 'FERRY_SECRET_STAGING',
    },
    {
      name: 'prod',
      from: 'staging',
      store: 'sqlite:.ferry/prod.db',
      delivery: {
        apiKey: '${FERRY_API_KEY_PROD:-blt-demo-prod}',
        tokens: { website: '${FERRY_DELIVERY_TOKEN_PROD:-cs-demo-token}' },
      },
    },
  ],
};

function envs(list: { name: string; from?: string }[]): { environments: { name: string; from?: string; store: string }[] } {
  return { environments: list.map((e) => ({ ...e, store: `sqlite:.ferry/${e.name}.db` })) };
}

describe('resolveConfig', () => {
  it('resolves the documented example with defaults for variables', () => {
    const { config, diagnostics } = resolveConfig(EXAMPLE, {});
    expect(diagnostics).toEqual([]);
    expect(config).toEqual({
      folder: 'content',
      kinds: [...OBJECT_KINDS],
      filters: { contentItem: { include: ['*'], exclude: ['test-*'] } },
      restoreMode: 'CreateUpdate',
      maxFileSize: 1024 * 1024,
      assets: { maxSize: 10 * 1024 * 1024, extensions: ['jpg', 'jpeg', 'png', 'gif', 'webp', 'svg', 'pdf'] },
      releaseTagPattern: 'v*',
      environments: [
        { name: 'dev', store: 'sqlite:.ferry/dev.db' },
        { name: 'staging', from: 'dev', store: 'sqlite:.ferry/staging.db', secretEnv: 'FERRY_SECRET_STAGING' },
        {
          name: 'prod',
          from: 'staging',
          store: 'sqlite:.ferry/prod.db',
          delivery: { apiKey: 'blt-demo-prod', tokens: { website: 'cs-demo-token' } },
        },
      ],
      secrets: ['blt-demo-prod', 'cs-demo-token'],
    });
  });

  it('applies every default to an empty file', () => {
    const { config, diagnostics } = resolveConfig(null, {});
    expect(diagnostics).toEqual([]);
    expect(config).toEqual(DEFAULT_CONFIG);
  });

  it('reads set variables and records secret-named ones and store passwords', () => {
    const raw = {
      environments: [
        { name: 'dev', store: '${DEV_STORE}' },
        { name: 'prod', from: 'dev', store: 'postgres://ferry:${PG_PASSWORD}@db/ferry', delivery: { apiKey: '${API_KEY}' } },
      ],
    };
    const { config, diagnostics } = resolveConfig(raw, {
      DEV_STORE: 'postgres://app:p%40ss@localhost/dev',
      PG_PASSWORD: 'hunter22',
      API_KEY: 'blt-123',
    });
    expect(diagnostics).toEqual([]);
    expect(config?.environments[0].store).toBe('postgres://app:p%40ss@localhost/dev');
    expect(config?.environments[1].store).toBe('postgres://ferry:hunter22@db/ferry');
    expect(config?.environments[1].delivery).toEqual({ apiKey: 'blt-123', tokens: {} });
    // DEV_STORE is not a secret name, but the password inside the URL is (raw and decoded).
    expect(config?.secrets).toEqual(['blt-123', 'hunter22', 'p%40ss', 'p@ss']);
  });

  it('records the value of each secretEnv variable as a secret', () => {
    const raw = { environments: [{ name: 'dev', store: 'sqlite:d.db', secretEnv: 'SYNC_DEV' }] };
    const { config } = resolveConfig(raw, { SYNC_DEV: 'a-long-shared-secret-of-32-chars!!' });
    expect(config?.environments[0].secretEnv).toBe('SYNC_DEV');
    expect(config?.secrets).toEqual(['a-long-shared-secret-of-32-chars!!']);
    expect(resolveConfig(raw, {}).config?.secrets).toEqual([]);
  });

  it('prefers a set variable over the default, and treats an empty one as unset', () => {
    const raw = { releaseTagPattern: '${TAGS:-v*}', folder: '${FOLDER:-content}' };
    const { config } = resolveConfig(raw, { TAGS: 'release-*', FOLDER: '' });
    expect(config?.releaseTagPattern).toBe('release-*');
    expect(config?.folder).toBe('content');
  });

  it('keeps `$${` as a literal `${`', () => {
    const { config } = resolveConfig({ releaseTagPattern: 'v$${X}' }, {});
    expect(config?.releaseTagPattern).toBe('v${X}');
  });

  it('reports a missing variable naming it and the key it is used in', () => {
    const raw = { environments: [{ name: 'dev', store: '${FERRY_STORE_DEV}' }] };
    const { config, diagnostics } = resolveConfig(raw, {}, { file: 'repository.config.yaml' });
    expect(config).toBeUndefined();
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({
      code: 'FERRY_E_CONFIG_ENV',
      severity: 'error',
      file: 'repository.config.yaml',
      pointer: '/environments/0/store',
    });
    expect(diagnostics[0].message).toContain('FERRY_STORE_DEV');
    expect(diagnostics[0].message).toContain('environments[0].store');
  });

  it('reports a malformed variable reference', () => {
    const { diagnostics } = resolveConfig({ releaseTagPattern: 'v${not valid}' }, {});
    expect(diagnostics[0]).toMatchObject({ code: 'FERRY_E_CONFIG', pointer: '/releaseTagPattern' });
    expect(diagnostics[0].message).toContain('malformed');
  });

  it('refuses unknown keys, naming the key and the allowed ones', () => {
    const { config, diagnostics } = resolveConfig({ folder: 'content', restoremode: 'Full' }, {});
    expect(config).toBeUndefined();
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'FERRY_E_CONFIG', pointer: '/restoremode' });
    expect(diagnostics[0].message).toContain('unknown key "restoremode"');
    expect(diagnostics[0].message).toContain('restoreMode');
  });

  it('refuses a bad restore mode, size, kind and missing store', () => {
    const { diagnostics } = resolveConfig(
      {
        restoreMode: 'Fast',
        maxFileSize: 'lots',
        kinds: { include: ['pages'] },
        environments: [{ name: 'dev' }],
      },
      {},
    );
    const byPointer = Object.fromEntries(diagnostics.map((d) => [d.pointer, d.message]));
    expect(byPointer['/restoreMode']).toContain('must be one of Create, CreateUpdate, Full (got "Fast")');
    expect(byPointer['/maxFileSize']).toContain('must be a size');
    expect(byPointer['/kinds/include/0']).toContain('must be one of');
    expect(byPointer['/environments/0']).toContain('missing required key "store"');
    expect(diagnostics.every((d) => d.code === 'FERRY_E_CONFIG')).toBe(true);
  });

  it('refuses a folder outside the repository or absolute', () => {
    for (const folder of ['../content', 'a/../../b', '/abs', 'C:/x']) {
      const { config, diagnostics } = resolveConfig({ folder }, {});
      expect(config, folder).toBeUndefined();
      expect(diagnostics[0]).toMatchObject({ code: 'FERRY_E_CONFIG', pointer: '/folder' });
    }
  });

  it('normalizes the folder', () => {
    expect(resolveConfig({ folder: './content/' }, {}).config?.folder).toBe('content');
    expect(resolveConfig({ folder: 'a//b' }, {}).config?.folder).toBe('a/b');
    expect(resolveConfig({ folder: '.' }, {}).config?.folder).toBe('.');
  });

  it('includes and excludes kinds, in kind order', () => {
    const { config } = resolveConfig({ kinds: { include: ['page', 'language', 'contentItem'], exclude: ['page'] } }, {});
    expect(config?.kinds).toEqual(['language', 'contentItem']);
    expect(resolveConfig({ kinds: { exclude: ['asset', 'assetFolder'] } }, {}).config?.kinds).toEqual(
      OBJECT_KINDS.filter((k) => k !== 'asset' && k !== 'assetFolder'),
    );
    expect(resolveConfig({ kinds: { exclude: [...OBJECT_KINDS] } }, {}).diagnostics[0].message).toContain('every object kind is excluded');
  });

  it('fills missing filter lists with empty ones', () => {
    const { config } = resolveConfig({ filters: { page: { exclude: ['draft-*'] } } }, {});
    expect(config?.filters).toEqual({ page: { include: [], exclude: ['draft-*'] } });
  });

  it('normalizes asset extensions and parses asset sizes', () => {
    const { config } = resolveConfig({ assets: { maxSize: 2048, extensions: ['.JPG', 'png', 'PNG', 'tar.gz'] } }, {});
    expect(config?.assets).toEqual({ maxSize: 2048, extensions: ['jpg', 'png', 'tar.gz'] });
  });

  it('refuses duplicate environment names', () => {
    const { diagnostics } = resolveConfig(envs([{ name: 'dev' }, { name: 'prod', from: 'dev' }, { name: 'dev', from: 'prod' }]), {});
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ code: 'FERRY_E_CONFIG', pointer: '/environments/2/name' });
    expect(diagnostics[0].message).toContain('dev is declared twice');
  });

  it('returns the environments in chain order whatever the file order', () => {
    const { config } = resolveConfig(envs([{ name: 'prod', from: 'staging' }, { name: 'dev' }, { name: 'staging', from: 'dev' }]), {});
    expect(config?.environments.map((e) => e.name)).toEqual(['dev', 'staging', 'prod']);
  });

  it('accepts no environments at all', () => {
    expect(resolveConfig({ environments: [] }, {}).config?.environments).toEqual([]);
  });

  describe('refuses a chain that is not one line', () => {
    const refusal = (list: { name: string; from?: string }[]): string[] => {
      const { config, diagnostics } = resolveConfig(envs(list), {});
      expect(config).toBeUndefined();
      for (const d of diagnostics) expect(d.code).toBe('FERRY_E_CHAIN');
      return diagnostics.map((d) => d.message);
    };

    it('a branch', () => {
      const messages = refusal([{ name: 'dev' }, { name: 'staging', from: 'dev' }, { name: 'qa', from: 'dev' }]);
      expect(messages).toEqual([expect.stringContaining('staging and qa both follow dev')]);
    });

    it('a loop', () => {
      const messages = refusal([{ name: 'prod' }, { name: 'dev', from: 'staging' }, { name: 'staging', from: 'dev' }]);
      expect(messages).toEqual([expect.stringContaining('dev -> staging -> dev')]);
    });

    it('a loop of three, written in promotion order', () => {
      const messages = refusal([{ name: 'root' }, { name: 'a', from: 'c' }, { name: 'b', from: 'a' }, { name: 'c', from: 'b' }]);
      expect(messages).toEqual([expect.stringContaining('a -> b -> c -> a')]);
    });

    it('a self-link', () => {
      const messages = refusal([{ name: 'dev' }, { name: 'prod', from: 'prod' }]);
      expect(messages).toEqual([expect.stringContaining('prod is promoted from itself')]);
    });

    it('a `from` naming no environment', () => {
      const messages = refusal([{ name: 'dev' }, { name: 'prod', from: 'stagin' }]);
      expect(messages).toEqual([expect.stringContaining('promoted from stagin, which is not declared (environments: dev, prod)')]);
    });

    it('two starts (not connected)', () => {
      const messages = refusal([{ name: 'dev' }, { name: 'staging', from: 'dev' }, { name: 'test' }]);
      expect(messages).toEqual([expect.stringContaining('dev and test both have no `from`')]);
    });

    it('no start at all', () => {
      const messages = refusal([{ name: 'dev', from: 'prod' }, { name: 'prod', from: 'dev' }]);
      expect(messages).toContainEqual(expect.stringContaining('no environment starts the chain'));
      expect(messages).toContainEqual(expect.stringContaining('dev -> prod -> dev'));
    });

    it('points at the offending `from`', () => {
      const { diagnostics } = resolveConfig(envs([{ name: 'dev' }, { name: 'staging', from: 'dev' }, { name: 'qa', from: 'dev' }]), {});
      expect(diagnostics[0].pointer).toBe('/environments/2/from');
    });
  });
});

describe('parseConfigText', () => {
  const TEXT = [
    '# yaml-language-server: $schema=schemas/repository-config.schema.json',
    'folder: content',
    'environments:',
    '  - name: dev',
    '    store: sqlite:.ferry/dev.db',
    '  - name: staging',
    '    from: dev',
    '    store: ${FERRY_STORE_STAGING}',
    '  - name: qa',
    '    from: dev',
    '    store: sqlite:.ferry/qa.db',
    '',
  ].join('\n');

  it('gives diagnostics the line and column of the key', () => {
    const { config, diagnostics } = parseConfigText(TEXT, {}, 'repository.config.yaml');
    expect(config).toBeUndefined();
    const env = diagnostics.find((d) => d.code === 'FERRY_E_CONFIG_ENV');
    expect(env).toMatchObject({ file: 'repository.config.yaml', line: 8 });
    const branch = diagnostics.find((d) => d.code === 'FERRY_E_CHAIN');
    expect(branch).toBeUndefined(); // the chain is checked only once the values are valid
    const fixed = parseConfigText(TEXT, { FERRY_STORE_STAGING: 'sqlite:s.db' });
    expect(fixed.diagnostics).toHaveLength(1);
    expect(fixed.diagnostics[0]).toMatchObject({ code: 'FERRY_E_CHAIN', line: 10, column: 5 });
  });

  it('reports YAML syntax errors', () => {
    const { config, diagnostics } = parseConfigText('folder: [content\n', {});
    expect(config).toBeUndefined();
    expect(diagnostics[0].code).toBe('FERRY_E_YAML');
  });

  it('resolves a valid file', () => {
    const { config } = parseConfigText('folder: data\nrestoreMode: Full\n', {});
    expect(config).toMatchObject({ folder: 'data', restoreMode: 'Full' });
  });
});
