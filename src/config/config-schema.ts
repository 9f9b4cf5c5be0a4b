import { CODE_NAME_PATTERN, OBJECT_KINDS } from '../model/objects.js';
import { RESTORE_MODES } from '../model/store.js';

/**
 * The JSON Schema of `repository.config.yaml`: the one source of truth. The committed copy in
 * `schemas/repository-config.schema.json` (used by editors through yaml-language-server) is
 * checked against it by a test. String values are validated after `${VAR}` interpolation.
 */
export const CONFIG_SCHEMA_ID = 'https://ferry-cms.dev/schemas/v1/repository-config.schema.json';

/** A size: a whole number of bytes, or a string such as `512KB`, `10MB`, `1.5GB` (1024-based). */
export const SIZE_PATTERN = '^[0-9]+(\\.[0-9]+)?\\s*([KkMmGg]?[Bb])?$';
/** An environment variable name (for `secretEnv`). */
export const ENV_VAR_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_]*$';
/** A file extension, with or without the leading dot (`jpg`, `.PNG`, `tar.gz`). */
export const EXTENSION_PATTERN = '^\\.?[A-Za-z0-9]+(\\.[A-Za-z0-9]+)*$';

function size(description: string): Record<string, unknown> {
  return {
    description: `${description} A number of bytes, or a string with a unit: B, KB, MB or GB (1024-based), e.g. \`10MB\`.`,
    type: ['integer', 'string'],
    minimum: 0,
    pattern: SIZE_PATTERN,
  };
}

function kindList(description: string): Record<string, unknown> {
  return {
    description,
    type: 'array',
    items: { type: 'string', enum: [...OBJECT_KINDS] },
    uniqueItems: true,
  };
}

const codeNameFilter = {
  description: 'Code-name patterns for one object kind. `*` matches any run of characters, `?` one character.',
  type: 'object',
  additionalProperties: false,
  properties: {
    include: {
      description: 'Only objects whose code name matches one of these patterns (empty or absent: all).',
      type: 'array',
      items: { type: 'string', minLength: 1 },
    },
    exclude: {
      description: 'Objects whose code name matches one of these patterns are left out (wins over `include`).',
      type: 'array',
      items: { type: 'string', minLength: 1 },
    },
  },
};

export const REPOSITORY_CONFIG_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: CONFIG_SCHEMA_ID,
  title: 'Ferry repository configuration',
  description:
    'repository.config.yaml at the git repository root: the repository folder, the object kinds it holds, filters, the default restore mode, limits and the environment chain. String values may read environment variables with ${VAR} or ${VAR:-default}.',
  type: 'object',
  additionalProperties: false,
  properties: {
    folder: {
      description: 'The repository folder holding the content files, relative to the repository root (POSIX, no `..`). Default: `content`.',
      type: 'string',
      minLength: 1,
    },
    kinds: {
      description: 'Object kinds this repository holds and deploys. Default: all kinds.',
      type: 'object',
      additionalProperties: false,
      properties: {
        include: kindList('Kinds to hold (absent or empty: all kinds).'),
        exclude: kindList('Kinds to leave out (wins over `include`).'),
      },
    },
    filters: {
      description: 'Code-name filters per object kind: objects left out are neither validated for deployment nor deployed.',
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(OBJECT_KINDS.map((kind) => [kind, codeNameFilter])),
    },
    restoreMode: {
      description: 'Default restore mode: `Create` (only missing objects), `CreateUpdate` (default: create and update, never delete) or `Full` (the target mirrors the repository).',
      type: 'string',
      enum: [...RESTORE_MODES],
    },
    maxFileSize: size('Largest YAML file accepted. Default: 1MB.'),
    assets: {
      description: 'Limits on asset binaries.',
      type: 'object',
      additionalProperties: false,
      properties: {
        maxSize: size('Largest asset binary accepted (for Git LFS and external assets too). Default: 2GB.'),
        extensions: {
          description: 'File extensions accepted for asset binaries (case-insensitive, with or without the dot). Default: jpg, jpeg, png, gif, webp, svg, pdf.',
          type: 'array',
          items: { type: 'string', pattern: EXTENSION_PATTERN },
        },
      },
    },
    releaseTagPattern: {
      description: 'Glob that release tags match (`ferry release`, the deploy workflow). Default: `v*`.',
      type: 'string',
      minLength: 1,
    },
    environments: {
      description: 'The environments, forming one linear chain (e.g. dev -> staging -> prod): exactly one has no `from`, every other names the environment it is promoted from.',
      type: 'array',
      items: {
        description: 'One environment: a Ferry instance whose store is filled by deploying commits.',
        type: 'object',
        additionalProperties: false,
        required: ['name', 'store'],
        properties: {
          name: {
            description: 'Environment name, unique (e.g. `dev`, `staging`, `prod`).',
            type: 'string',
            pattern: CODE_NAME_PATTERN,
          },
          from: {
            description: 'The environment this one is promoted from (absent for the first environment of the chain).',
            type: 'string',
            pattern: CODE_NAME_PATTERN,
          },
          store: {
            description: 'Store URL: `sqlite:PATH` (relative to the repository root), `postgres://…` or `https://…` (a remote Ferry instance). Use ${VAR} for credentials.',
            type: 'string',
            minLength: 1,
          },
          secretEnv: {
            description: 'Name of the environment variable holding the shared sync secret of this environment (never the secret itself).',
            type: 'string',
            pattern: ENV_VAR_NAME_PATTERN,
          },
          durable: {
            description: 'SQLite stores: commit with `synchronous=FULL`, so a power loss cannot lose the last committed deployment (the default, NORMAL, may lose it, never half of one). Slower commits.',
            type: 'boolean',
          },
          delivery: {
            description: 'Delivery API credentials of this environment.',
            type: 'object',
            additionalProperties: false,
            required: ['apiKey'],
            properties: {
              apiKey: {
                description: 'Stack API key clients send (`api_key` header); use ${VAR} to keep it out of the repository.',
                type: 'string',
                minLength: 1,
              },
              tokens: {
                description: 'Delivery tokens by name (`access_token` header); use ${VAR} so tokens are never committed.',
                type: 'object',
                propertyNames: { pattern: CODE_NAME_PATTERN },
                additionalProperties: { type: 'string', minLength: 1 },
              },
              publicAssets: {
                description: 'Whether asset files (`GET /v3/assets/:uid/:filename`) are served without credentials, like Contentstack asset URLs (default true). false: they need api_key and access_token like every other delivery request.',
                type: 'boolean',
              },
            },
          },
        },
      },
    },
  },
} as const;
