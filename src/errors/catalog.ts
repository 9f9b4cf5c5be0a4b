/**
 * The one catalog of error codes. Each code has a permanent name, a title, the exit status the
 * CLI uses and a hint that says what to do. The README's error table is generated from it
 * (`ferry docs errors`), and a test keeps the README in step.
 */
export interface ErrorSpec {
  readonly title: string;
  readonly exit: ExitStatus;
  readonly hint: string;
}

/**
 * Exit statuses, each with one meaning. 2 is Terraform's "changes present" (`plan
 * --detailed-exitcode`), so usage takes sysexits' EX_USAGE (64) beside EX_SOFTWARE (70).
 */
export const EXIT = {
  ok: 0,
  /** Validation or user error; nothing was written. */
  user: 1,
  /** `plan --detailed-exitcode`: changes present. Nothing else exits 2. */
  changes: 2,
  conflict: 3,
  unreachable: 4,
  /** A git revision that does not resolve (in CI often a shallow checkout). */
  revision: 5,
  usage: 64,
  internal: 70,
} as const;

export type ExitStatus = (typeof EXIT)[keyof typeof EXIT];

export const ERROR_CATALOG = {
  FERRY_E_USAGE: { title: 'Bad command line', exit: EXIT.usage, hint: 'Run `ferry <command> --help` for the options and examples.' },
  FERRY_E_REVISION: { title: 'Unknown git revision', exit: EXIT.revision, hint: 'Check the name with `git rev-parse`; in CI fetch enough history (actions/checkout `fetch-depth: 0`).' },
  FERRY_E_GIT: { title: 'Git repository error', exit: EXIT.user, hint: 'Run Ferry inside a git repository (or point it at one), and fetch the commits and objects it needs (in CI: actions/checkout `fetch-depth: 0`).' },
  FERRY_E_YAML: { title: 'YAML syntax error', exit: EXIT.user, hint: 'Fix the YAML at the given line and column, then run `ferry fmt` to rewrite the file canonically.' },
  FERRY_E_YAML_LIMIT: { title: 'YAML file over a safety limit', exit: EXIT.user, hint: 'Content files must be small, plain YAML: no anchors/aliases expansion bombs, no files over the size limit.' },
  FERRY_E_SCHEMA: { title: 'File does not match its schema', exit: EXIT.user, hint: 'Compare the file with its JSON Schema in schemas/ (editors with yaml-language-server show it inline).' },
  FERRY_E_FIELD: { title: 'Field value does not match the content type', exit: EXIT.user, hint: 'Change the value or the content type definition so that they agree.' },
  FERRY_E_REFERENCE: { title: 'Reference to a missing object', exit: EXIT.user, hint: 'Add the referenced object to the repository, or remove the reference.' },
  FERRY_E_PAGE_TREE: { title: 'Broken page tree', exit: EXIT.user, hint: 'Every page parent must exist in the same channel, and the tree must have no cycles.' },
  FERRY_E_ASSET: { title: 'Asset integrity error', exit: EXIT.user, hint: 'Re-add the binary and update size and sha256 (`ferry fmt --fix-assets` recomputes them).' },
  FERRY_E_LFS: { title: 'Git LFS object unavailable', exit: EXIT.user, hint: 'Fetch the objects (`git lfs fetch`; actions/checkout: `lfs: true`), check the LFS remote has them (`git lfs push --all`), or install git-lfs.' },
  FERRY_E_ASSET_LIMIT: { title: 'Asset refused by the repository limits', exit: EXIT.user, hint: 'Shrink the file or change `assets.maxSize` / `assets.extensions` in repository.config.yaml.' },
  FERRY_E_DUPLICATE: { title: 'Duplicate guid or code name', exit: EXIT.user, hint: 'Every object needs its own guid and a code name unique within its kind; give one of the two files a new identity.' },
  FERRY_E_DEFAULT_LANGUAGE: { title: 'Not exactly one default language', exit: EXIT.user, hint: 'Set `isDefault: true` on exactly one language file (languages/<code>.yaml).' },
  FERRY_E_SYMLINK: { title: 'Symbolic link in the repository folder', exit: EXIT.user, hint: 'Replace the link with the file itself (git: `git rm` the link, add the file). Ferry never follows links, so no content can come from outside the repository.' },
  FERRY_E_PATH: { title: 'File path does not match the object', exit: EXIT.user, hint: 'Move the file to the path Ferry expects (`ferry fmt` reports it), or fix the code name.' },
  FERRY_E_CONFIG: { title: 'Invalid repository configuration', exit: EXIT.user, hint: 'Fix repository.config.yaml; it is validated against schemas/repository-config.schema.json.' },
  FERRY_E_CONFIG_ENV: { title: 'Missing environment variable', exit: EXIT.user, hint: 'Set the variable (in CI: a secret or variable), or give a default with ${VAR:-default}.' },
  FERRY_E_CHAIN: { title: 'Environment chain is not linear', exit: EXIT.user, hint: 'Environments must form one line, e.g. dev -> staging -> prod: each `from` names the previous one.' },
  FERRY_E_ENV_UNKNOWN: { title: 'Unknown environment', exit: EXIT.user, hint: 'Use one of the environments declared in repository.config.yaml.' },
  FERRY_E_GUID_CLASH: { title: 'Object exists on the target with another guid', exit: EXIT.user, hint: 'The target has an object with this code name but a different guid (recreated by hand?). Delete or rename it on the target, or give the repository object the target guid.' },
  FERRY_E_INCOMPATIBLE: { title: 'Target is incompatible with this deployment', exit: EXIT.user, hint: 'Deploy the missing dependencies first (or in the same deployment), or use a mode that updates them.' },
  FERRY_E_VALIDATION: { title: 'Validation failed', exit: EXIT.user, hint: 'Fix the reported diagnostics; nothing was written.' },
  FERRY_E_STORE: { title: 'Store error', exit: EXIT.unreachable, hint: 'Check the store URL and that the store is reachable and writable (PostgreSQL: the server is up, and the user, password, database and sslmode are right).' },
  FERRY_E_STORE_URL: { title: 'Unsupported store URL', exit: EXIT.user, hint: 'Use sqlite:PATH, postgres://… or https://… (http:// only for loopback).' },
  FERRY_E_STORE_FORMAT: { title: 'Store written by another Ferry format version', exit: EXIT.user, hint: 'Upgrade Ferry to the version that wrote the store.' },
  FERRY_E_LOCK: { title: 'Environment is locked by another deployment', exit: EXIT.conflict, hint: 'Wait for the other deployment, or raise --lock-timeout. A lock held by a dead process (or a PostgreSQL session that dropped) is released automatically.' },
  FERRY_E_CONFLICT: { title: 'Conflicting state, or an unresolved merge conflict', exit: EXIT.conflict, hint: 'Another change is in progress: re-run after it completes. In a content file (<<<<<<< ======= >>>>>>> markers): keep one side, delete the markers, then `ferry fmt` and `ferry validate`.' },
  FERRY_E_UNREACHABLE: { title: 'Environment unreachable', exit: EXIT.unreachable, hint: 'Check the URL, network and TLS settings of the environment.' },
  FERRY_E_AUTH: { title: 'Authentication failed', exit: EXIT.user, hint: 'Check the shared secret or token (from the environment, at least 32 characters for sync secrets).' },
  FERRY_E_VERSION: { title: 'Incompatible Ferry version', exit: EXIT.user, hint: 'Run the same Ferry format version on both sides.' },
  FERRY_E_TOO_LARGE: { title: 'Request over the instance size limit', exit: EXIT.user, hint: 'Raise the limit on the instance (`ferry serve --max-package-size`, or `assets.maxSize` for blobs), or deploy in smaller steps.' },
  FERRY_E_TIMEOUT: { title: 'Request body not received in time', exit: EXIT.unreachable, hint: 'The instance stops reading a request body after `ferry serve --body-timeout` (default 2m): check the network between client and instance, or raise the timeout.' },
  FERRY_E_NOT_FOUND: { title: 'Not found', exit: EXIT.user, hint: 'Check the name or id.' },
  FERRY_E_DIRTY: { title: 'Uncommitted changes', exit: EXIT.user, hint: 'Commit or stash the changes in the repository folder first.' },
  FERRY_E_EXISTS: { title: 'Already exists', exit: EXIT.user, hint: 'Choose another name, or pass --force where the command offers it.' },
  FERRY_E_FILE: { title: 'Cannot read or write a file named on the command line', exit: EXIT.user, hint: 'Check the path: a file Ferry reads must exist and be readable; a file it writes needs an existing folder you can write to.' },
  FERRY_E_FMT: { title: 'Files are not canonical', exit: EXIT.user, hint: 'Run `ferry fmt` to rewrite them.' },
  FERRY_E_INTERNAL: { title: 'Internal error (a bug in Ferry)', exit: EXIT.internal, hint: 'Please report it with the command and the output of --verbose.' },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CATALOG;
