/**
 * Decoding: the bytes of one file → a snapshot entry, or diagnostics saying what is wrong and
 * where. Steps: the path says which kind the file must be; js-yaml parses it (with limits); ajv
 * checks it against the kind's file schema; the object's own code names must give back its path.
 * Hand-edited files are accepted when they pass; `fmt` rewrites them canonically.
 */
import * as fileValidators from '../../generated/file-validators.js';
import type { ObjectRef } from '../errors/index.js';
import {
  compareDiagnostics,
  OBJECT_KINDS,
  objectKey,
  type ContentItem,
  type Diagnostic,
  type FerryObject,
  type ObjectKind,
  type Page,
  type SnapshotEntry,
} from '../model/index.js';
import { conflictDiagnostics, hasConflictMarkers } from './conflict-markers.js';
import { gitBlobOid } from './git-oid.js';
import { classifyPath, KIND_FOLDER, objectPath, type PathClass } from './layout.js';
import { parseYaml } from './parse-yaml.js';
import { locatePointer } from './positions.js';
import { schemaDiagnostics } from './schema-messages.js';

export interface DecodeOptions {
  /** Repository folder (`content`, or `.` for the repository root). */
  folder: string;
  /** Largest YAML file accepted, in bytes. */
  maxFileSize: number;
}

export interface FileInput {
  /** Path relative to the repository root (POSIX). */
  path: string;
  bytes: Uint8Array;
  /** Git blob id when the caller already has it (from git); computed otherwise. */
  oid?: string;
}

export type DecodeFileResult = { ok: true; entry: SnapshotEntry } | { ok: false; diagnostics: Diagnostic[] };
export type DecodeObjectResult = { ok: true; object: FerryObject } | { ok: false; diagnostics: Diagnostic[] };

/** Parses, checks and returns one object file as a snapshot entry. Never throws for bad input. */
export function decodeFile(file: FileInput, opts: DecodeOptions): DecodeFileResult {
  const cls = classifyPath(file.path, opts.folder);
  if (cls.type !== 'object' && !(cls.type === 'unknown' && /\.ya?ml$/i.test(file.path))) {
    return { ok: false, diagnostics: [pathDiagnostic(file.path, notAnObjectFile(cls))] };
  }
  const parsed = parseYaml(file.bytes, { filename: file.path, maxFileSize: opts.maxFileSize });
  // Conflict markers may still parse (inside a block literal): look for them either way.
  const text = parsed.ok ? parsed.text : lenientText(file.bytes, opts.maxFileSize);
  if (text !== undefined && hasConflictMarkers(text)) return { ok: false, diagnostics: conflictDiagnostics(file.path, text) };
  if (!parsed.ok) {
    const extra = cls.type === 'unknown' ? [pathDiagnostic(file.path, cls.reason)] : [];
    return { ok: false, diagnostics: [...parsed.diagnostics, ...extra] };
  }
  const decoded = checkValue(parsed.value, file.path, opts.folder, cls, parsed.text);
  if (!decoded.ok) return decoded;
  const object = decoded.object;
  return {
    ok: true,
    entry: {
      key: objectKey(object),
      kind: object.kind,
      codeName: object.codeName,
      path: file.path,
      hash: file.oid ?? gitBlobOid(file.bytes),
      object,
    },
  };
}

/**
 * Checks a parsed value against the file schema of the kind it declares and fills the defaults,
 * without any path check: for versions of a file that are not at their path (the temp files a
 * git merge driver gets, one side of a rename). `file` names it in diagnostics.
 */
export function decodeValue(value: unknown, opts: { file: string; text?: string }): DecodeObjectResult {
  const declared = isRecord(value) ? value.kind : undefined;
  const kind = OBJECT_KINDS.find((k) => k === declared);
  if (kind === undefined) {
    return { ok: false, diagnostics: [{ code: 'FERRY_E_SCHEMA', severity: 'error', message: `\`kind\` must be one of ${OBJECT_KINDS.join(', ')}`, file: opts.file, pointer: '/kind' }] };
  }
  const validate = validator(kind);
  if (!validate(value)) return { ok: false, diagnostics: schemaDiagnostics(validate.errors ?? [], value, opts.text, opts.file, objectRef(value, kind)) };
  return { ok: true, object: withDefaults(value as FerryObject) };
}

function checkValue(value: unknown, path: string, folder: string, cls: PathClass, text: string | undefined): DecodeObjectResult {
  const pathKind = cls.type === 'object' ? cls.kind : undefined;
  const declared = isRecord(value) ? value.kind : undefined;
  const fileKind = OBJECT_KINDS.find((k) => k === declared);
  const schemaKind = fileKind ?? pathKind;
  const object = objectRef(value, fileKind ?? pathKind);
  const diagnostics: Diagnostic[] = [];
  const pathProblem = (message: string, pointer?: string, names?: ObjectRef): void => {
    const pos = text !== undefined && pointer !== undefined ? locatePointer(text, pointer) : undefined;
    diagnostics.push({ ...pathDiagnostic(path, message, pos, object), ...(names ? { names, pointer } : {}) });
  };

  if (schemaKind === undefined) {
    // Neither the path nor the file says what this is.
    const kinds = OBJECT_KINDS.join(', ');
    const message = declared === undefined ? `missing required key \`kind\` (one of ${kinds})` : `\`kind\` must be one of ${kinds}`;
    const pos = text !== undefined ? locatePointer(text, declared === undefined ? '' : '/kind') : undefined;
    diagnostics.push({ code: 'FERRY_E_SCHEMA', severity: 'error', message, file: path, pointer: '/kind', ...pos });
    if (cls.type === 'unknown') pathProblem(cls.reason);
    return { ok: false, diagnostics };
  }

  const validate = validator(schemaKind);
  const valid = validate(value);
  if (!valid) diagnostics.push(...schemaDiagnostics(validate.errors ?? [], value, text, path, object));

  const expected = valid ? objectPath(value as FerryObject, folder) : undefined;
  const expectedText = expected === undefined ? '' : `: it belongs at \`${expected}\``;
  if (fileKind !== undefined && pathKind !== undefined && fileKind !== pathKind) {
    pathProblem(`the file holds a ${fileKind} but sits in \`${KIND_FOLDER[pathKind]}/\` as a ${pathKind}${expectedText}`, '/kind');
  } else if (cls.type === 'unknown') {
    pathProblem(`${cls.reason}${expected === undefined ? '' : `; the object belongs at \`${expected}\``}`);
  } else if (expected !== undefined && expected !== path && typeFolderDiffers(value as FerryObject, expected, path)) {
    // The folder names one content type and the file another: validation, which knows the
    // content types, turns this into "no such content type" when the file's one does not exist.
    const o = value as FerryObject & { contentType: string };
    pathProblem(`the item's contentType \`${o.contentType}\` does not match its folder \`${path.slice(0, path.lastIndexOf('/') + 1)}\`${expectedText}`, '/contentType', { kind: 'contentType', codeName: o.contentType });
  } else if (expected !== undefined && expected !== path) {
    pathProblem(`the file's path does not match its ${describeIdentity(value as FerryObject)}${expectedText}`, '/codeName');
  }
  if (diagnostics.length > 0 || !valid) return { ok: false, diagnostics: diagnostics.sort(compareDiagnostics) };
  return { ok: true, object: withDefaults(value as FerryObject) };
}

/**
 * The validator of a kind's file schema: ajv's code for FILE_SCHEMAS, generated at build time
 * (src/codegen/validators.ts) so no process pays for compiling it.
 */
function validator(kind: ObjectKind): fileValidators.GeneratedValidator {
  return fileValidators[kind];
}

/** Fills what a file may leave out: empty `fields` maps and empty asset metadata. */
function withDefaults(o: FerryObject): FerryObject {
  switch (o.kind) {
    case 'contentItem':
    case 'page':
      return {
        ...o,
        fields: o.fields ?? {},
        variants: mapValues(o.variants as Record<string, ContentItem['variants'][string] | Page['variants'][string]>, (v) => ({
          ...v,
          fields: v.fields ?? {},
        })),
      } as FerryObject;
    case 'asset':
      return o.metadata === undefined ? { ...o, metadata: {} } : o;
    default:
      return o;
  }
}

function mapValues<V, W>(record: Record<string, V>, f: (v: V) => W): Record<string, W> {
  const out: Record<string, W> = {};
  for (const k of Object.keys(record)) out[k] = f(record[k]);
  return out;
}

function describeIdentity(o: FerryObject): string {
  switch (o.kind) {
    case 'contentItem':
      return 'content type and code name';
    case 'page':
      return 'channel and code name';
    case 'asset':
      return 'folder and code name';
    case 'language':
      return 'language code';
    default:
      return 'code name';
  }
}

function notAnObjectFile(cls: PathClass): string {
  switch (cls.type) {
    case 'unknown':
      return cls.reason;
    case 'binary':
      return 'this is an asset binary, not an object file';
    case 'ignored':
      return 'Ferry ignores this file (README.md and dotfiles)';
    case 'outside':
      return 'the file is outside the repository folder';
    case 'object':
      return 'not an object file';
  }
}

/** An item or page whose expected folder (by its content type / channel) is not the one it sits in. */
function typeFolderDiffers(o: FerryObject, expected: string, path: string): boolean {
  if (o.kind !== 'contentItem') return false;
  return expected.slice(0, expected.lastIndexOf('/')) !== path.slice(0, path.lastIndexOf('/'));
}

function pathDiagnostic(file: string, message: string, pos?: { line: number; column: number }, object?: ObjectRef): Diagnostic {
  return {
    code: 'FERRY_E_PATH',
    severity: 'error',
    message,
    file,
    ...(pos ? { line: pos.line, column: pos.column } : {}),
    ...(object ? { object } : {}),
  };
}

function objectRef(value: unknown, kind: ObjectKind | undefined): ObjectRef | undefined {
  if (!isRecord(value) || kind === undefined) return undefined;
  const ref: ObjectRef = { kind };
  if (typeof value.guid === 'string') ref.guid = value.guid;
  if (typeof value.codeName === 'string') ref.codeName = value.codeName;
  return ref;
}

const lenientUtf8 = new TextDecoder('utf-8');

/** The text of a file that did not parse, to look for conflict markers (not for files over the limit). */
function lenientText(bytes: Uint8Array, maxFileSize: number): string | undefined {
  return bytes.byteLength > maxFileSize ? undefined : lenientUtf8.decode(bytes);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
