// `ferry init`: scaffolds a content repository that validates as written.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { FerryError } from '../errors/index.js';
import { encodeObject } from '../format/encode.js';
import { defaultDriverCli, setupMergeDriver } from '../git/merge-driver-setup.js';
import { objectPath } from '../format/layout.js';
import type { ContentType, FerryObject, Language, Workspace } from '../model/index.js';
import { compareCodePoints } from '../model/index.js';
import { VERSION } from '../version.js';
import { installedFerrySpec, type FerrySpec } from './ferry-spec.js';

/** The package's own folders, found from this module (src/github or dist/github). */
const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const TEMPLATES_DIR = join(PACKAGE_ROOT, 'templates');
export const SCHEMAS_DIR = join(PACKAGE_ROOT, 'schemas');

/** The repository folder `ferry init` creates (the workflows' `paths:` filters name it). */
export const INIT_FOLDER = 'content';
const README_MARKER = '<!-- ferry:init -->';

export interface InitRequest {
  /** Folder to scaffold (created when missing). */
  dir: string;
  /** Overwrite files that exist. */
  force?: boolean;
  /** Guid source (tests pass a fixed one). */
  uuid?: () => string;
  /** The npm spec the scaffold's package.json depends on (default: how this Ferry was installed, see ferry-spec.ts). */
  ferrySpec?: FerrySpec;
  /** Also track asset binaries with Git LFS (lines added to .gitattributes). */
  lfs?: boolean;
}

export interface InitResult {
  root: string;
  /** Files written whole, relative to root, sorted. */
  written: string[];
  /** Existing files Ferry added lines or a section to (.gitignore, .gitattributes, README.md). */
  extended: string[];
  /** Existing files left alone (package.json). */
  kept: string[];
  /** What package.json depends on (written only when package.json is new). */
  ferry: FerrySpec;
  /** Starter objects whose existing files kept their guids (with --force). */
  keptIdentities: string[];
}

/**
 * How a file is written: `create` refuses an existing file (without --force); `lines` adds the
 * lines an existing file lacks; `section` appends a marked section once; `keep` never replaces an
 * existing file, even with --force (package.json is the user's).
 */
type Policy = 'create' | 'lines' | 'section' | 'keep';

interface PlannedFile {
  path: string;
  bytes: Uint8Array | string;
  policy: Policy;
}

/** The starter objects: one language, one workspace, one content type, with fresh guids. */
export function starterObjects(uuid: () => string = randomUUID): FerryObject[] {
  const language: Language = { kind: 'language', codeName: 'en-US', displayName: 'English (United States)', isDefault: true };
  const workspace: Workspace = { kind: 'workspace', guid: uuid(), codeName: 'main', displayName: 'Main' };
  const article: ContentType = {
    kind: 'contentType',
    guid: uuid(),
    codeName: 'article',
    displayName: 'Article',
    usage: 'reusable',
    description: 'A titled piece of text. Change it, or add content types beside it.',
    fields: [
      { guid: uuid(), name: 'title', label: 'Title', type: 'text', required: true, localized: true, validation: { minLength: 1, maxLength: 200 } },
      { guid: uuid(), name: 'body', label: 'Body', type: 'richText', format: 'markdown', required: false, localized: true },
    ],
  };
  return [language, workspace, article];
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The guids an existing file gives its object and fields (a file that does not parse gives none). */
async function existingIdentity(abs: string): Promise<{ guid?: string; fields: Map<string, string> } | undefined> {
  if (!existsSync(abs)) return undefined;
  let value: unknown;
  try {
    value = parseYaml(await readFile(abs, 'utf8'));
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object') return undefined;
  const v = value as { guid?: unknown; fields?: unknown };
  const fields = new Map<string, string>();
  if (Array.isArray(v.fields)) {
    for (const f of v.fields as { name?: unknown; guid?: unknown }[]) {
      if (typeof f?.name === 'string' && typeof f.guid === 'string' && GUID.test(f.guid)) fields.set(f.name, f.guid);
    }
  }
  return { guid: typeof v.guid === 'string' && GUID.test(v.guid) ? v.guid : undefined, fields };
}

/**
 * The starter objects, keeping the guids of those whose files exist: with --force the files are
 * rewritten, but an object already deployed somewhere must keep its identity, or the next plan
 * meets the same code name under another guid (FERRY_E_GUID_CLASH).
 */
async function starterObjectsKeeping(root: string, uuid: () => string, kept: string[]): Promise<FerryObject[]> {
  const objects: FerryObject[] = [];
  for (const o of starterObjects(uuid)) {
    const path = objectPath(o, INIT_FOLDER);
    const existing = await existingIdentity(join(root, path));
    if (!existing || !('guid' in o)) {
      objects.push(o);
      continue;
    }
    let next: FerryObject = existing.guid ? { ...o, guid: existing.guid } : o;
    if (next.kind === 'contentType') next = { ...next, fields: next.fields.map((f) => ({ ...f, guid: existing.fields.get(f.name) ?? f.guid })) };
    if (existing.guid || existing.fields.size) kept.push(path);
    objects.push(next);
  }
  return objects;
}

async function plannedFiles(root: string, uuid: () => string, ferry: FerrySpec, keptIdentities: string[]): Promise<PlannedFile[]> {
  const template = (name: string) => readFile(join(TEMPLATES_DIR, name), 'utf8');
  const files: PlannedFile[] = [{ path: 'repository.config.yaml', bytes: await template('repository.config.yaml'), policy: 'create' }];
  for (const o of await starterObjectsKeeping(root, uuid, keptIdentities)) {
    const path = objectPath(o, INIT_FOLDER);
    files.push({ path, bytes: encodeObject(o, path), policy: 'create' });
  }
  for (const name of (await readdir(SCHEMAS_DIR)).filter((n) => n.endsWith('.json')).sort(compareCodePoints)) {
    files.push({ path: `schemas/${name}`, bytes: await readFile(join(SCHEMAS_DIR, name)), policy: 'create' });
  }
  for (const name of (await readdir(join(TEMPLATES_DIR, 'workflows'))).filter((n) => n.endsWith('.yml')).sort(compareCodePoints)) {
    files.push({ path: `.github/workflows/${name}`, bytes: await template(`workflows/${name}`), policy: 'create' });
  }
  files.push(
    {
      path: '.gitattributes',
      policy: 'lines',
      bytes: [
        '# Ferry: content files are canonical YAML with LF line ends. With',
        '# `git config diff.ferry.textconv "npx ferry textconv"`, git diff shows them field by field.',
        `${INIT_FOLDER}/**/*.yaml text eol=lf diff=ferry`,
        '',
      ].join('\n'),
    },
    { path: '.gitignore', policy: 'lines', bytes: ['# Ferry: local environment stores', '.ferry/', 'node_modules/', ''].join('\n') },
    { path: 'README.md', policy: 'section', bytes: await template('README.section.md') },
    {
      path: 'package.json',
      policy: 'keep',
      bytes:
        JSON.stringify(
          {
            name: basename(root).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[._-]+/, '') || 'content',
            private: true,
            scripts: { validate: 'ferry validate', fmt: 'ferry fmt' },
            devDependencies: { 'ferry-cms': ferry.spec },
            // npm 11 runs dependencies' install scripts only when allowed: better-sqlite3 builds its binding in one.
            allowScripts: { 'better-sqlite3': true },
          },
          null,
          2,
        ) + '\n',
    },
  );
  return files;
}

/** Binary asset types Git LFS tracks after `ferry init --lfs` (SVG is text: git diffs it well). */
export const LFS_EXTENSIONS = ['gif', 'jpeg', 'jpg', 'mov', 'mp4', 'pdf', 'png', 'webm', 'webp'] as const;

/** The .gitattributes lines that route asset binaries through Git LFS. */
export function lfsAttributeLines(folder = INIT_FOLDER): string[] {
  return [
    '# Ferry: asset binaries in Git LFS (run `git lfs install` once per machine). Ferry reads the',
    '# LFS objects itself, so CI clones need no smudge (actions/checkout `lfs: false` is fine).',
    ...LFS_EXTENSIONS.map((ext) => `${folder}/assets/**/*.${ext} filter=lfs diff=lfs merge=lfs -text`),
  ];
}

/** Adds the LFS lines to the planned .gitattributes (merged into an existing file like its other lines). */
function addLfsAttributes(files: PlannedFile[]): void {
  const attributes = files.find((f) => f.path === '.gitattributes');
  const lines = lfsAttributeLines().join('\n') + '\n';
  if (!attributes) files.push({ path: '.gitattributes', policy: 'lines', bytes: lines });
  else attributes.bytes = `${String(attributes.bytes).replace(/\n*$/, '\n')}${lines}`;
}

/**
 * Scaffolds a content repository in `dir`: repository.config.yaml, the repository folder with one
 * language, workspace and content type, the JSON Schemas, the two GitHub workflows,
 * .gitattributes, .gitignore, a README section and a package.json. Without `force` it refuses
 * (FERRY_E_EXISTS, listing them) when any file it would write exists, and writes nothing.
 */
export async function initRepository(req: InitRequest): Promise<InitResult> {
  const root = resolve(req.dir);
  const ferry: FerrySpec = req.ferrySpec ?? installedFerrySpec(PACKAGE_ROOT, root, VERSION);
  const keptIdentities: string[] = [];
  const files = await plannedFiles(root, req.uuid ?? randomUUID, ferry, keptIdentities);
  if (req.lfs) addLfsAttributes(files);
  const conflicts = files.filter((f) => f.policy === 'create' && existsSync(join(root, f.path))).map((f) => f.path);
  const folder = join(root, INIT_FOLDER);
  if (existsSync(folder) && !conflicts.some((c) => c.startsWith(`${INIT_FOLDER}/`))) {
    const existing = (await readdir(folder, { recursive: true })).filter((n) => String(n).endsWith('.yaml'));
    if (existing.length) conflicts.push(`${INIT_FOLDER}/ (${existing.length} content file(s))`);
  }
  if (conflicts.length && !req.force) {
    throw new FerryError('FERRY_E_EXISTS', `${root} already has ${conflicts.length} of the files ferry init writes: ${conflicts.slice(0, 12).join(', ')}${conflicts.length > 12 ? ', …' : ''}`, {
      hint: 'Run it in an empty folder, or pass --force to overwrite them.',
      data: { files: conflicts },
    });
  }
  const result: InitResult = { root, written: [], extended: [], kept: [], ferry, keptIdentities };
  for (const f of files) {
    const abs = join(root, f.path);
    const exists = existsSync(abs);
    await mkdir(dirname(abs), { recursive: true });
    if (!exists || f.policy === 'create') {
      await writeFile(abs, f.bytes);
      result.written.push(f.path);
      continue;
    }
    const current = await readFile(abs, 'utf8');
    const text = typeof f.bytes === 'string' ? f.bytes : Buffer.from(f.bytes).toString('utf8');
    if (f.policy === 'keep') {
      result.kept.push(f.path);
    } else if (f.policy === 'lines') {
      const have = new Set(current.split(/\r?\n/).map((l) => l.trim()));
      const missing = text.split('\n').filter((l) => l.trim() && !l.startsWith('#') && !have.has(l.trim()));
      if (missing.length) {
        await writeFile(abs, `${current}${current.endsWith('\n') || !current ? '' : '\n'}${text.split('\n').filter((l) => l.startsWith('#') || missing.includes(l)).join('\n')}\n`);
        result.extended.push(f.path);
      }
    } else if (!current.includes(README_MARKER)) {
      await writeFile(abs, `${current}${current.endsWith('\n') || !current ? '' : '\n'}\n${text}`);
      result.extended.push(f.path);
    }
  }
  // The merge driver: its .gitattributes line, and in a git repository its config (else `ferry setup-git` later).
  const merge = await setupMergeDriver({ root, folder: INIT_FOLDER, cli: defaultDriverCli(), configure: existsSync(join(root, '.git')) });
  if (merge.attributes === 'extended' && !result.written.includes('.gitattributes') && !result.extended.includes('.gitattributes')) result.extended.push('.gitattributes');
  result.written.sort(compareCodePoints);
  return result;
}
