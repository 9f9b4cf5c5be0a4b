/**
 * Edits of a content repository, as values: each operation picks its targets among the objects
 * the repository holds (indices are taken modulo the candidates, so every generated operation
 * applies to any repository) and returns the files it changes. Objects are re-encoded with
 * Ferry's canonical encoder, as `ferry fmt` would write them.
 *
 * The operations cover every kind and what editors do to it (issue 11's list): create, update a
 * shared or a localized field, add and remove a language variant, publish / unpublish, rename a
 * file, move an asset to another folder, rename (move) an asset folder, move a page to another
 * parent, reorder siblings, delete with and without references to it, add / remove / change a
 * content type field, replace an asset binary, delete only a binary, change a language, a channel
 * or a workspace, and repoint a reference. Issue 13 adds content folders (move a folder with
 * everything below it, rename one, file an item into a folder or out of it, delete a folder with
 * its contents) and workflow moves (a variant to another step), and the refusals that go with
 * them (a folder moved without its files, a folder tree made cyclic, a non-empty folder deleted
 * alone, a step the workspace does not declare); and structured fields: edit a field inside a
 * block, insert, remove or move a block, set or remove a field's default, and switch an item's
 * defaulted field between absent (inherits), null (explicitly empty) and a value.
 */
import { createHash } from 'node:crypto';
import yaml from 'js-yaml';
import { FerryError } from '../../src/errors/index.js';
import { encodeObject } from '../../src/format/encode.js';
import { assetBinaryPath, objectPath, type FolderPaths } from '../../src/format/layout.js';
import { guidsInValue } from '../../src/model/field-kinds.js';
import { folderTree } from '../../src/model/folders.js';
import type { Asset, ContentFolder, ContentItem, ContentType, FerryObject, FieldDefinition, Page, Workspace } from '../../src/model/objects.js';

/** Repository files by POSIX path. */
export type RepoFiles = ReadonlyMap<string, Uint8Array>;
/** What one commit changes: new bytes, or null for a deleted file. */
export type FileChanges = Map<string, Uint8Array | null>;

export const EDITABLE_KINDS = ['contentItem', 'page', 'asset'] as const;
export type EditableKind = (typeof EDITABLE_KINDS)[number];
export const STATUSES = ['published', 'draft', 'unpublished'] as const;

export type Op =
  | { op: 'createItem'; pick: number }
  | { op: 'createPage'; pick: number }
  | { op: 'createAsset'; pick: number; seed: number }
  | { op: 'editShared'; pick: number; field: number }
  | { op: 'editLocalized'; pick: number; field: number; lang: number }
  | { op: 'addVariant'; pick: number }
  | { op: 'removeVariant'; pick: number; lang: number }
  | { op: 'setStatus'; pick: number; lang: number; status: (typeof STATUSES)[number] }
  | { op: 'rename'; pick: number; kind: EditableKind }
  | { op: 'moveAsset'; pick: number; folder: number }
  | { op: 'renameAssetFolder'; pick: number }
  | { op: 'movePage'; pick: number; parent: number }
  | { op: 'reorderPages'; pick: number }
  | { op: 'copySiblingSlug'; pick: number }
  | { op: 'movePageBelowItself'; pick: number }
  | { op: 'delete'; pick: number; kind: EditableKind; unreferenced: boolean }
  | { op: 'addField'; pick: number; localized: boolean }
  | { op: 'removeField'; pick: number; field: number; stripValues: boolean }
  | { op: 'changeField'; pick: number; field: number; change: 'label' | 'required' | 'maxLength' }
  | { op: 'replaceBinary'; pick: number; seed: number }
  | { op: 'deleteBinaryOnly'; pick: number }
  | { op: 'editSupporting'; pick: number; kind: 'language' | 'channel' | 'workspace' }
  | { op: 'editReference'; pick: number; field: number; target: number }
  | { op: 'moveFolder'; pick: number; parent: number }
  | { op: 'renameFolder'; pick: number }
  | { op: 'moveFolderAlone'; pick: number; parent: number }
  | { op: 'makeFolderCycle'; pick: number }
  | { op: 'fileIntoFolder'; pick: number; folder: number }
  | { op: 'deleteFolder'; pick: number; withContents: boolean }
  | { op: 'setStep'; pick: number; lang: number; step: number }
  | { op: 'editBlocks'; pick: number; block: number; change: (typeof BLOCK_CHANGES)[number] }
  | { op: 'changeDefault'; pick: number; change: 'set' | 'remove' }
  | { op: 'setFieldState'; pick: number; field: number; state: 'absent' | 'null' | 'value' };

/** What `editBlocks` does to a blocks field: edit one block's text field, or insert, remove or move a block. */
export const BLOCK_CHANGES = ['editField', 'insert', 'remove', 'move'] as const;

export const OP_NAMES = [
  'createItem', 'createPage', 'createAsset', 'editShared', 'editLocalized', 'addVariant', 'removeVariant', 'setStatus', 'rename',
  'moveAsset', 'renameAssetFolder', 'movePage', 'reorderPages', 'copySiblingSlug', 'movePageBelowItself', 'delete', 'addField', 'removeField', 'changeField', 'replaceBinary',
  'deleteBinaryOnly', 'editSupporting', 'editReference', 'moveFolder', 'renameFolder', 'moveFolderAlone', 'makeFolderCycle', 'fileIntoFolder',
  'deleteFolder', 'setStep', 'editBlocks', 'changeDefault', 'setFieldState',
] as const satisfies readonly Op['op'][];

export interface AppliedOp {
  changes: FileChanges;
  /** One line for the commit message and the replay script. */
  label: string;
}

const FOLDER = 'content';
const utf8 = new TextEncoder();
const text = (b: Uint8Array) => new TextDecoder().decode(b);

interface Loaded<T extends FerryObject = FerryObject> {
  path: string;
  object: T;
}

/** The repository's objects, parsed (js-yaml core schema: dates stay strings, as Ferry reads them). */
export function objectsOf(files: RepoFiles): Loaded[] {
  const out: Loaded[] = [];
  for (const [path, bytes] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!path.startsWith(`${FOLDER}/`) || !path.endsWith('.yaml')) continue;
    const object = yaml.load(text(bytes), { schema: yaml.CORE_SCHEMA }) as FerryObject;
    if (object && typeof object === 'object' && 'kind' in object) out.push({ path, object });
  }
  return out;
}

const ofKind = <K extends FerryObject['kind']>(all: Loaded[], kind: K) => all.filter((l): l is Loaded<Extract<FerryObject, { kind: K }>> => l.object.kind === kind);
const at = <T>(list: readonly T[], i: number): T | undefined => (list.length ? list[Math.abs(i) % list.length] : undefined);
const clone = <T>(v: T): T => structuredClone(v);

/** A stable guid for a name. */
export function guidFor(name: string): string {
  const h = createHash('sha256').update(name).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** Bytes of a small PNG-named binary, distinct per seed. */
export function binaryFor(seed: number, length = 64): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (seed * 31 + i * 7) % 256);
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** Where the content folder tree places folders and their items (`folders`: the tree after the edit). */
function placer(folders: readonly ContentFolder[]): FolderPaths {
  const tree = folderTree(folders);
  return (ref) => {
    const guid = tree.resolve(ref);
    return guid === undefined ? undefined : tree.pathOf(guid);
  };
}

/** Files are placed by the folder tree of the repository being edited, unless an edit changes it. */
let currentPlacer: FolderPaths = () => undefined;

/** An edit that cannot place its file: the folder tree it needs is broken by an earlier (refused) commit. */
class Unplaceable extends Error {}

function put(changes: FileChanges, object: FerryObject, oldPath?: string, paths: FolderPaths = currentPlacer): void {
  let path: string;
  try {
    path = objectPath(object, FOLDER, paths);
  } catch (e) {
    // A file below a folder on a loop or in a deleted folder stays where it is; a new one has no place.
    if (!(e instanceof FerryError)) throw e;
    if (!oldPath) throw new Unplaceable(e.message);
    path = oldPath;
  }
  if (oldPath && oldPath !== path) changes.set(oldPath, null);
  changes.set(path, encodeObject(object, path));
}

/** The keys of a folder and every folder below it. */
function subtree(folders: readonly Loaded<ContentFolder>[], root: string): Set<string> {
  const out = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const f of folders) if (f.object.parent && out.has(f.object.parent) && !out.has(f.object.guid)) (out.add(f.object.guid), (grew = true));
  }
  return out;
}

/** The folder a `folder:` value names (a guid or a code-name path). */
function folderOf(all: Loaded[], ref: string | undefined): ContentFolder | undefined {
  if (ref === undefined) return undefined;
  const folders = ofKind(all, 'contentFolder').map((f) => f.object);
  const guid = folderTree(folders).resolve(ref);
  return folders.find((f) => f.guid === guid);
}

/** A variant's step as its workspace's workflow wants it: `published` when published, else the step it had or the first. */
function withSteps<T extends ContentItem>(o: T, workspace: Workspace | undefined): T {
  const steps = workspace?.workflow?.map((s) => s.codeName) ?? [];
  for (const v of Object.values(o.variants)) {
    if (!steps.length) delete v.step;
    else if (v.status === 'published') v.step = 'published';
    else if (v.step === undefined || v.step === 'published' || !steps.includes(v.step)) v.step = steps.find((s) => s !== 'published') ?? steps[0];
  }
  return o;
}

/** Every guid referenced from items and pages (fields, links and embeds in rich text) and page parents. */
function referencedGuids(all: Loaded[]): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown) => guidsInValue(v, out);
  for (const { object } of all) {
    if (object.kind === 'page' && object.parent) out.add(object.parent);
    if (object.kind === 'contentItem' || object.kind === 'page') {
      walk(object.fields);
      for (const v of Object.values(object.variants)) walk(v.fields);
    }
  }
  return out;
}

function typeOf(all: Loaded[], codeName: string): ContentType | undefined {
  return ofKind(all, 'contentType').find((t) => t.object.codeName === codeName)?.object;
}

const TEXTUAL = new Set(['text', 'longText', 'richText']);

function editedText(field: FieldDefinition, old: unknown, n: number): string {
  if (field.type === 'richText') return `${typeof old === 'string' ? old.replace(/\n$/, '') : '<p>Start.</p>'}\n<p>Edit ${n}.</p>\n`;
  const max = field.validation?.maxLength ?? 200;
  return `Edit ${n} ${typeof old === 'string' ? old : ''}`.slice(0, max).trimEnd();
}

/**
 * Applies one operation to the files; undefined when nothing in the repository fits it (no
 * change). `n` numbers the step: new code names, guids and texts derive from it.
 */
export function applyOp(files: RepoFiles, op: Op, n: number): AppliedOp | undefined {
  try {
    return applyOpTo(files, op, n);
  } catch (e) {
    if (e instanceof Unplaceable) return undefined;
    throw e;
  }
}

function applyOpTo(files: RepoFiles, op: Op, n: number): AppliedOp | undefined {
  const all = objectsOf(files);
  const changes: FileChanges = new Map();
  const content = all.filter((l): l is Loaded<ContentItem | Page> => l.object.kind === 'contentItem' || l.object.kind === 'page');
  const languages = ofKind(all, 'language').map((l) => l.object.codeName).sort();
  const suffix = `n${n}`;
  const folders = ofKind(all, 'contentFolder');
  currentPlacer = placer(folders.map((f) => f.object));
  const workspaceOf = (codeName: string) => ofKind(all, 'workspace').find((w) => w.object.codeName === codeName)?.object;
  // Moves the files below the folders of `moved` (keys) to where `after` (the new folder list)
  // puts them; an item naming its folder by code-name path gets the new path, as a person edits it.
  const moveBelow = (moved: Set<string>, after: ContentFolder[]) => {
    const paths = placer(after);
    for (const f of folders) if (moved.has(f.object.guid)) put(changes, after.find((x) => x.guid === f.object.guid)!, f.path, paths);
    for (const item of ofKind(all, 'contentItem')) {
      const home = folderOf(all, item.object.folder);
      if (!home || !moved.has(home.guid)) continue;
      const o = /^[0-9a-f]{8}-/.test(item.object.folder!) ? item.object : { ...clone(item.object), folder: paths(home.guid)! };
      put(changes, o, item.path, paths);
    }
  };

  switch (op.op) {
    case 'createItem': {
      const src = at(ofKind(all, 'contentItem'), op.pick);
      if (!src) return undefined;
      const o = { ...clone(src.object), guid: guidFor(`item:${suffix}`), codeName: `${src.object.codeName}-${suffix}` };
      put(changes, o);
      return { changes, label: `create item ${o.codeName} (a copy of ${src.object.codeName})` };
    }
    case 'createPage': {
      const src = at(ofKind(all, 'page'), op.pick);
      if (!src) return undefined;
      const o = { ...clone(src.object), guid: guidFor(`page:${suffix}`), codeName: `${src.object.codeName}-${suffix}`, order: src.object.order + 1000 + n };
      for (const v of Object.values(o.variants)) v.slug = `${v.slug}-${suffix}`;
      put(changes, o);
      return { changes, label: `create page ${o.codeName} beside ${src.object.codeName}` };
    }
    case 'createAsset': {
      const src = at(ofKind(all, 'asset'), op.pick);
      if (!src) return undefined;
      const bytes = binaryFor(op.seed + n);
      const o: Asset = { ...clone(src.object), guid: guidFor(`asset:${suffix}`), codeName: `${src.object.codeName}-${suffix}`, fileName: `${src.object.codeName}-${suffix}.png`, mediaType: 'image/png', size: bytes.length, sha256: sha256(bytes) };
      put(changes, o);
      changes.set(assetBinaryPath(o, FOLDER), bytes);
      return { changes, label: `create asset ${o.codeName} in ${o.folder}` };
    }
    case 'editShared':
    case 'editLocalized': {
      const target = at(content, op.pick);
      if (!target) return undefined;
      const type = typeOf(all, target.object.contentType);
      const localized = op.op === 'editLocalized';
      const field = at((type?.fields ?? []).filter((f) => TEXTUAL.has(f.type) && f.localized === localized), op.field);
      if (!field) return undefined;
      const o = clone(target.object);
      if (localized) {
        const lang = at(Object.keys(o.variants).sort(), op.op === 'editLocalized' ? op.lang : 0);
        if (!lang) return undefined;
        o.variants[lang].fields = { ...(o.variants[lang].fields ?? {}), [field.name]: editedText(field, o.variants[lang].fields?.[field.name], n) };
        put(changes, o, target.path);
        return { changes, label: `edit ${lang} field ${field.name} of ${o.kind} ${o.codeName}` };
      }
      o.fields = { ...(o.fields ?? {}), [field.name]: editedText(field, o.fields?.[field.name], n) };
      put(changes, o, target.path);
      return { changes, label: `edit shared field ${field.name} of ${o.kind} ${o.codeName}` };
    }
    case 'addVariant': {
      const target = at(content.filter((c) => languages.some((l) => !c.object.variants[l])), op.pick);
      if (!target) return undefined;
      const o = clone(target.object);
      const lang = languages.find((l) => !o.variants[l])!;
      const model = Object.values(o.variants)[0];
      if (!model) return undefined;
      const v = { ...clone(model), status: 'draft' as const, displayName: `${model.displayName} (${lang})` };
      if (o.kind === 'page') (v as Page['variants'][string]).slug = `${(model as Page['variants'][string]).slug}-${lang.toLowerCase()}`;
      (o.variants as Record<string, typeof v>)[lang] = v;
      put(changes, o, target.path);
      return { changes, label: `add ${lang} variant to ${o.kind} ${o.codeName}` };
    }
    case 'removeVariant': {
      const target = at(content.filter((c) => Object.keys(c.object.variants).length > 1), op.pick);
      if (!target) return undefined;
      const o = clone(target.object);
      const lang = at(Object.keys(o.variants).sort(), op.lang)!;
      delete o.variants[lang];
      put(changes, o, target.path);
      return { changes, label: `remove ${lang} variant of ${o.kind} ${o.codeName}` };
    }
    case 'setStatus': {
      const target = at(content, op.pick);
      if (!target) return undefined;
      const o = clone(target.object);
      const lang = at(Object.keys(o.variants).sort(), op.lang);
      if (!lang || o.variants[lang].status === op.status) return undefined;
      o.variants[lang].status = op.status;
      if (o.kind === 'contentItem') withSteps(o, workspaceOf(o.workspace));
      put(changes, o, target.path);
      return { changes, label: `set ${lang} of ${o.kind} ${o.codeName} to ${op.status}` };
    }
    case 'rename': {
      const target = at(all.filter((l) => l.object.kind === op.kind), op.pick) as Loaded<ContentItem | Page | Asset> | undefined;
      if (!target) return undefined;
      const o = { ...clone(target.object), codeName: `${target.object.codeName.replace(/-r\d+$/, '')}-r${n}` };
      put(changes, o, target.path);
      return { changes, label: `rename ${o.kind} ${target.object.codeName} to ${o.codeName}` };
    }
    case 'moveAsset': {
      const target = at(ofKind(all, 'asset'), op.pick);
      const folders = ofKind(all, 'assetFolder').map((f) => f.object.codeName).filter((f) => f !== target?.object.folder);
      const folder = at(folders, op.folder);
      if (!target || !folder) return undefined;
      if (ofKind(all, 'asset').some((a) => a.object.folder === folder && a.object.fileName === target.object.fileName)) return undefined;
      const o = { ...clone(target.object), folder };
      const oldBinary = assetBinaryPath(target.object, FOLDER);
      put(changes, o, target.path);
      changes.set(oldBinary, null);
      changes.set(assetBinaryPath(o, FOLDER), files.get(oldBinary) ?? binaryFor(n));
      return { changes, label: `move asset ${o.codeName} from ${target.object.folder} to ${folder}` };
    }
    case 'renameAssetFolder': {
      const target = at(ofKind(all, 'assetFolder'), op.pick);
      if (!target) return undefined;
      const folder = { ...clone(target.object), codeName: `${target.object.codeName.replace(/-f\d+$/, '')}-f${n}` };
      put(changes, folder, target.path);
      for (const a of ofKind(all, 'asset').filter((x) => x.object.folder === target.object.codeName)) {
        const moved = { ...clone(a.object), folder: folder.codeName };
        const oldBinary = assetBinaryPath(a.object, FOLDER);
        put(changes, moved, a.path);
        changes.set(oldBinary, null);
        changes.set(assetBinaryPath(moved, FOLDER), files.get(oldBinary) ?? binaryFor(n));
      }
      return { changes, label: `move asset folder ${target.object.codeName} to ${folder.codeName}` };
    }
    case 'movePage': {
      const pages = ofKind(all, 'page');
      const target = at(pages.filter((p) => p.object.parent), op.pick);
      if (!target) return undefined;
      // Not below itself: a loop is a refusal test of its own, not a move.
      const below = new Set<string>([target.object.guid]);
      for (let grew = true; grew; ) {
        grew = false;
        for (const p of pages) if (p.object.parent && below.has(p.object.parent) && !below.has(p.object.guid)) (below.add(p.object.guid), (grew = true));
      }
      const parent = at(pages.filter((p) => p.object.channel === target.object.channel && !below.has(p.object.guid) && p.object.guid !== target.object.parent), op.parent);
      if (!parent) return undefined;
      const o = { ...clone(target.object), parent: parent.object.guid };
      put(changes, o, target.path);
      return { changes, label: `move page ${o.codeName} under ${parent.object.codeName}` };
    }
    case 'reorderPages': {
      const pages = ofKind(all, 'page');
      const target = at(pages.filter((p) => pages.some((q) => q !== p && q.object.parent === p.object.parent && q.object.channel === p.object.channel)), op.pick);
      if (!target) return undefined;
      const sibling = pages.find((q) => q !== target && q.object.parent === target.object.parent && q.object.channel === target.object.channel)!;
      if (sibling.object.order === target.object.order) return undefined;
      put(changes, { ...clone(target.object), order: sibling.object.order }, target.path);
      put(changes, { ...clone(sibling.object), order: target.object.order }, sibling.path);
      return { changes, label: `swap the order of pages ${target.object.codeName} and ${sibling.object.codeName}` };
    }
    case 'movePageBelowItself': {
      // A page moved under one of its own descendants: a loop, refused on every page of it.
      const pages = ofKind(all, 'page');
      const childrenOf = (guid: string) => pages.filter((p) => p.object.parent === guid);
      const withGrandchildren = pages.filter((p) => childrenOf(p.object.guid).some((c) => childrenOf(c.object.guid).length));
      const target = at(withGrandchildren, op.pick);
      if (!target) return undefined;
      const child = childrenOf(target.object.guid).find((c) => childrenOf(c.object.guid).length)!;
      const grandchild = childrenOf(child.object.guid)[0];
      put(changes, { ...clone(target.object), parent: grandchild.object.guid }, target.path);
      return { changes, label: `move page ${target.object.codeName} under its grandchild ${grandchild.object.codeName}` };
    }
    case 'copySiblingSlug': {
      // Two siblings with one slug: a refusal, reported on both pages.
      const pages = ofKind(all, 'page');
      const target = at(pages.filter((p) => pages.some((q) => q !== p && q.object.parent === p.object.parent && q.object.channel === p.object.channel)), op.pick);
      if (!target) return undefined;
      const sibling = pages.find((q) => q !== target && q.object.parent === target.object.parent && q.object.channel === target.object.channel)!;
      const lang = Object.keys(target.object.variants).sort().find((l) => sibling.object.variants[l]);
      if (!lang) return undefined;
      const o = clone(target.object);
      o.variants[lang].slug = sibling.object.variants[lang].slug;
      put(changes, o, target.path);
      return { changes, label: `give page ${o.codeName} the ${lang} slug of its sibling ${sibling.object.codeName}` };
    }
    case 'delete': {
      const refs = op.unreferenced ? referencedGuids(all) : new Set<string>();
      const target = at(all.filter((l) => l.object.kind === op.kind && !refs.has((l.object as Asset).guid)), op.pick) as Loaded<ContentItem | Page | Asset> | undefined;
      if (!target) return undefined;
      changes.set(target.path, null);
      if (target.object.kind === 'asset') changes.set(assetBinaryPath(target.object, FOLDER), null);
      return { changes, label: `delete ${target.object.kind} ${target.object.codeName}${op.unreferenced ? '' : ' (references to it may remain)'}` };
    }
    case 'addField': {
      const target = at(ofKind(all, 'contentType'), op.pick);
      if (!target) return undefined;
      const o = clone(target.object);
      o.fields.push({ guid: guidFor(`field:${suffix}`), name: `extra${n}`, label: `Extra ${n}`, type: 'text', required: false, localized: op.localized });
      put(changes, o, target.path);
      return { changes, label: `add ${op.localized ? 'localized' : 'shared'} field extra${n} to content type ${o.codeName}` };
    }
    case 'removeField': {
      const target = at(ofKind(all, 'contentType'), op.pick);
      const field = target && at(target.object.fields.filter((f) => !f.required), op.field);
      if (!target || !field) return undefined;
      const o = clone(target.object);
      o.fields = o.fields.filter((f) => f.guid !== field.guid);
      put(changes, o, target.path);
      if (op.stripValues) {
        for (const c of content.filter((x) => x.object.contentType === o.codeName)) {
          const item = clone(c.object);
          let touched = !!item.fields && field.name in item.fields;
          if (item.fields) delete item.fields[field.name];
          for (const v of Object.values(item.variants)) {
            touched ||= !!v.fields && field.name in v.fields;
            if (v.fields) delete v.fields[field.name];
          }
          if (touched) put(changes, item, c.path);
        }
      }
      return { changes, label: `remove field ${field.name} from content type ${o.codeName}${op.stripValues ? ' and its values' : ''}` };
    }
    case 'changeField': {
      const target = at(ofKind(all, 'contentType'), op.pick);
      const field = target && at(target.object.fields, op.field);
      if (!target || !field) return undefined;
      const o = clone(target.object);
      const f = o.fields.find((x) => x.guid === field.guid)!;
      if (op.change === 'label') f.label = `${f.label ?? f.name} ${n}`;
      else if (op.change === 'required') f.required = !f.required;
      else {
        if (!TEXTUAL.has(f.type)) return undefined;
        f.validation = { ...(f.validation ?? {}), maxLength: 12 };
      }
      put(changes, o, target.path);
      return { changes, label: `change ${op.change} of field ${f.name} of content type ${o.codeName}` };
    }
    case 'replaceBinary': {
      const target = at(ofKind(all, 'asset'), op.pick);
      if (!target) return undefined;
      const bytes = binaryFor(op.seed + n, 80 + (n % 50));
      const o = { ...clone(target.object), size: bytes.length, sha256: sha256(bytes) };
      put(changes, o, target.path);
      changes.set(assetBinaryPath(o, FOLDER), bytes);
      return { changes, label: `replace the binary of asset ${o.codeName}` };
    }
    case 'deleteBinaryOnly': {
      const target = at(ofKind(all, 'asset'), op.pick);
      if (!target) return undefined;
      const path = assetBinaryPath(target.object, FOLDER);
      if (!files.has(path)) return undefined;
      changes.set(path, null);
      return { changes, label: `delete only the binary of asset ${target.object.codeName}` };
    }
    case 'editSupporting': {
      const target = at(ofKind(all, op.kind), op.pick);
      if (!target) return undefined;
      const o = clone(target.object) as FerryObject & { displayName: string };
      o.displayName = `${o.displayName.replace(/ \(\d+\)$/, '')} (${n})`;
      // A workspace whose workflow loses a step: the items at it are refused until they move on.
      if (o.kind === 'workspace' && o.workflow && n % 3 === 0) o.workflow = o.workflow.filter((s) => s.codeName !== 'approved');
      if (o.kind === 'channel' && o.domains) o.domains = [...o.domains.filter((d) => !d.startsWith('edit-')), `edit-${n}.example.com`].sort();
      put(changes, o, target.path);
      return { changes, label: `change ${op.kind} ${o.codeName}` };
    }
    case 'editReference': {
      const target = at(content, op.pick);
      if (!target) return undefined;
      const type = typeOf(all, target.object.contentType);
      const field = at((type?.fields ?? []).filter((f) => f.type === 'contentItems' || f.type === 'pages' || f.type === 'assets'), op.field);
      if (!field) return undefined;
      const allowed = field.validation?.allowedTypes;
      const candidates =
        field.type === 'assets'
          ? ofKind(all, 'asset').map((a) => a.object.guid)
          : (field.type === 'pages' ? ofKind(all, 'page') : ofKind(all, 'contentItem')).filter((c) => !allowed || allowed.includes(c.object.contentType)).map((c) => c.object.guid);
      const guid = at(candidates.filter((g) => g !== target.object.guid), op.target);
      if (!guid) return undefined;
      const o = clone(target.object);
      const value = [guid];
      if (field.localized) {
        const lang = Object.keys(o.variants).sort()[0];
        o.variants[lang].fields = { ...(o.variants[lang].fields ?? {}), [field.name]: value };
      } else o.fields = { ...(o.fields ?? {}), [field.name]: value };
      put(changes, o, target.path);
      return { changes, label: `point field ${field.name} of ${o.kind} ${o.codeName} at ${guid}` };
    }
    case 'moveFolder':
    case 'moveFolderAlone': {
      const target = at(folders, op.pick);
      if (!target) return undefined;
      const below = subtree(folders, target.object.guid);
      // Root (undefined) or another folder of the workspace, not below itself.
      const parents = [undefined, ...folders.filter((f) => !below.has(f.object.guid) && f.object.workspace === target.object.workspace).map((f) => f.object.guid)].filter((p) => p !== target.object.parent);
      if (!parents.length) return undefined;
      const parent = parents[Math.abs(op.parent) % parents.length];
      if (parent === undefined && folders.some((f) => f !== target && !f.object.parent && f.object.codeName === target.object.codeName)) return undefined;
      const moved: ContentFolder = { ...clone(target.object) };
      if (parent === undefined) delete moved.parent;
      else moved.parent = parent;
      const after = folders.map((f) => (f === target ? moved : f.object));
      const where = parent === undefined ? 'the root' : folders.find((f) => f.object.guid === parent)!.object.codeName;
      if (op.op === 'moveFolderAlone') {
        // Only the folder's own file follows: what is below stays at the old path (refused).
        put(changes, moved, target.path, placer(after));
        if (below.size === 1 && !ofKind(all, 'contentItem').some((i) => folderOf(all, i.object.folder)?.guid === target.object.guid)) return undefined;
        return { changes, label: `move content folder ${target.object.codeName} under ${where} without the files below it` };
      }
      moveBelow(below, after);
      return { changes, label: `move content folder ${target.object.codeName} under ${where}` };
    }
    case 'renameFolder': {
      const target = at(folders, op.pick);
      if (!target) return undefined;
      const below = subtree(folders, target.object.guid);
      const renamed = { ...clone(target.object), codeName: `${target.object.codeName.replace(/-f\d+$/, '')}-f${n}` };
      moveBelow(below, folders.map((f) => (f === target ? renamed : f.object)));
      return { changes, label: `rename content folder ${target.object.codeName} to ${renamed.codeName}` };
    }
    case 'makeFolderCycle': {
      const target = at(folders.filter((f) => folders.some((c) => c.object.parent === f.object.guid)), op.pick);
      if (!target) return undefined;
      const child = folders.find((c) => c.object.parent === target.object.guid)!;
      // The folder's file stays where it is: the cycle is what is refused (with the paths it breaks).
      changes.set(target.path, encodeObject({ ...clone(target.object), parent: child.object.guid }, target.path));
      return { changes, label: `make content folder ${target.object.codeName} a child of its child ${child.object.codeName}` };
    }
    case 'fileIntoFolder': {
      const target = at(ofKind(all, 'contentItem'), op.pick);
      if (!target) return undefined;
      const choices = [undefined, ...folders.map((f) => f.object)].filter((f) => f?.guid !== folderOf(all, target.object.folder)?.guid);
      const folder = choices[Math.abs(op.folder) % choices.length];
      const o = clone(target.object);
      if (folder) {
        o.folder = folder.guid;
        o.workspace = folder.workspace;
      } else {
        if (o.folder === undefined) return undefined;
        delete o.folder;
      }
      withSteps(o, workspaceOf(o.workspace));
      put(changes, o, target.path);
      return { changes, label: folder ? `file item ${o.codeName} into content folder ${folder.codeName}` : `take item ${o.codeName} out of its content folder` };
    }
    case 'deleteFolder': {
      const target = at(folders, op.pick);
      if (!target) return undefined;
      changes.set(target.path, null);
      if (!op.withContents) return { changes, label: `delete content folder ${target.object.codeName} alone (refused when it holds anything)` };
      const below = subtree(folders, target.object.guid);
      for (const f of folders) if (below.has(f.object.guid)) changes.set(f.path, null);
      const gone = new Set<string>();
      for (const item of ofKind(all, 'contentItem')) {
        const home = folderOf(all, item.object.folder);
        if (home && below.has(home.guid)) (changes.set(item.path, null), gone.add(item.object.guid));
      }
      return { changes, label: `delete content folder ${target.object.codeName} with everything in it${[...gone].some((g) => referencedGuids(all).has(g)) ? ' (references to its items may remain)' : ''}` };
    }
    case 'setStep': {
      const target = at(ofKind(all, 'contentItem').filter((i) => workspaceOf(i.object.workspace)?.workflow?.length), op.pick);
      if (!target) return undefined;
      const workflow = workspaceOf(target.object.workspace)!.workflow!;
      const o = clone(target.object);
      const lang = at(Object.keys(o.variants).sort(), op.lang)!;
      // Now and then a step the workspace does not declare (refused), else a declared one.
      const step = op.step % 7 === 6 ? 'legal-check' : workflow[Math.abs(op.step) % workflow.length].codeName;
      if (o.variants[lang].step === step) return undefined;
      o.variants[lang].step = step;
      o.variants[lang].status = step === 'published' ? 'published' : o.variants[lang].status === 'published' ? 'draft' : o.variants[lang].status;
      put(changes, o, target.path);
      return { changes, label: `move ${lang} of item ${o.codeName} to workflow step ${step}` };
    }
    case 'editBlocks':
      return editBlocks(all, content, op, n, changes);
    case 'changeDefault': {
      // Fields that have a default first (change or remove it), then optional text fields (give them one).
      const fieldsOf = (keep: (f: FieldDefinition) => boolean) => ofKind(all, 'contentType').flatMap((t) => t.object.fields.filter(keep).map((f) => ({ t, f })));
      const withDefault = [...fieldsOf((f) => f.default !== undefined), ...fieldsOf((f) => f.default === undefined && f.type === 'text' && !f.required)];
      const pick = at(withDefault, op.pick);
      if (!pick) return undefined;
      const o = clone(pick.t.object);
      const f = o.fields.find((x) => x.guid === pick.f.guid)!;
      if (op.change === 'remove') {
        if (f.default === undefined) return undefined;
        delete f.default;
      } else f.default = defaultFor(f, n);
      put(changes, o, pick.t.path);
      return { changes, label: `${op.change === 'remove' ? 'remove the default of' : `set the default ${JSON.stringify(f.default)} of`} field ${f.name} of content type ${o.codeName}` };
    }
    case 'setFieldState': {
      const candidates = content.flatMap((c) => (typeOf(all, c.object.contentType)?.fields ?? []).filter((f) => f.default !== undefined && !f.localized && !f.required).map((f) => ({ c, f })));
      const pick = at(candidates, op.pick + op.field);
      if (!pick) return undefined;
      const o = clone(pick.c.object);
      const fields = { ...(o.fields ?? {}) };
      if (op.state === 'absent') delete fields[pick.f.name];
      else fields[pick.f.name] = op.state === 'null' ? null : defaultFor(pick.f, n + 1);
      o.fields = fields;
      put(changes, o, pick.c.path);
      return { changes, label: `make field ${pick.f.name} of ${o.kind} ${o.codeName} ${op.state === 'absent' ? 'absent (inherits its default)' : op.state === 'null' ? 'explicitly empty' : 'set'}` };
    }
  }
}

/** A value a text field's pattern accepts: another of its `^(a|b)$` alternatives, or a numbered text. */
function defaultFor(f: FieldDefinition, n: number): string {
  const alternatives = /^\^\(([^()]+)\)\$$/.exec(f.validation?.pattern ?? '')?.[1].split('|');
  if (alternatives) return alternatives[n % alternatives.length];
  return `Default ${n}`.slice(0, f.validation?.maxLength ?? 200);
}

type BlockValue = { block: string; fields?: Record<string, unknown> };

function editBlocks(all: Loaded[], content: Loaded<ContentItem | Page>[], op: Extract<Op, { op: 'editBlocks' }>, n: number, changes: FileChanges): AppliedOp | undefined {
  // Every (object, language, blocks field) that holds a non-empty block list.
  const lists = content.flatMap((c) =>
    (typeOf(all, c.object.contentType)?.fields ?? [])
      .filter((f) => f.type === 'blocks')
      .flatMap((f) =>
        f.localized
          ? Object.keys(c.object.variants).sort().filter((l) => Array.isArray(c.object.variants[l].fields?.[f.name])).map((l) => ({ c, f, lang: l as string | undefined }))
          : Array.isArray(c.object.fields?.[f.name]) ? [{ c, f, lang: undefined as string | undefined }] : [],
      ),
  );
  const pick = at(lists, op.pick);
  if (!pick) return undefined;
  const o = clone(pick.c.object);
  const holder = pick.lang ? (o.variants[pick.lang].fields ??= {}) : (o.fields ??= {});
  const blocks = [...(holder[pick.f.name] as BlockValue[])];
  if (blocks.length === 0 && op.change !== 'insert') return undefined;
  const i = blocks.length ? Math.abs(op.block) % blocks.length : 0;
  const where = `${pick.lang ? `${pick.lang} ` : ''}field ${pick.f.name} of ${o.kind} ${o.codeName}`;
  let label: string;
  switch (op.change) {
    case 'editField': {
      const type = pick.f.blockTypes?.find((t) => t.name === blocks[i].block);
      const sub = type?.fields.find((x) => x.type === 'text' || x.type === 'longText');
      if (!sub) return undefined;
      const old = blocks[i].fields?.[sub.name];
      blocks[i] = { ...blocks[i], fields: { ...(blocks[i].fields ?? {}), [sub.name]: editedText(sub as FieldDefinition, old, n) } };
      label = `edit ${sub.name} of block ${i} (${blocks[i].block}) in ${where}`;
      break;
    }
    case 'insert': {
      // A copy of an existing block (valid by construction); into an emptied list, an empty block of the first type (validation may refuse it).
      const copy = blocks.length ? clone(blocks[i]) : { block: pick.f.blockTypes?.[0]?.name ?? 'quote', fields: {} };
      if ((pick.f.validation?.maxItems ?? Infinity) <= blocks.length) return undefined;
      blocks.splice(i, 0, copy);
      label = `insert a ${copy.block} block at ${i} in ${where}`;
      break;
    }
    case 'remove':
      label = `remove block ${i} (${blocks[i].block}) from ${where}`;
      blocks.splice(i, 1);
      break;
    case 'move': {
      if (blocks.length < 2) return undefined;
      const [moved] = blocks.splice(i, 1);
      blocks.splice((i + 1) % (blocks.length + 1), 0, moved);
      label = `move block ${i} (${moved.block}) down in ${where}`;
      break;
    }
  }
  holder[pick.f.name] = blocks;
  put(changes, o, pick.c.path);
  return { changes, label };
}

/** A shell script that makes the same commits in a copy of the starting repository. */
export function replayScript(steps: readonly { label: string; changes: FileChanges }[], deployLines: (i: number) => string[]): string {
  const lines = ['# Replays a generated sequence: run in a git repository holding the sample content, .ferry/ ignored.', 'set -e'];
  steps.forEach((s, i) => {
    lines.push(`# step ${i + 1}: ${s.label}`);
    for (const [path, bytes] of [...s.changes].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (bytes === null) lines.push(`git rm -q --cached '${path}' && rm -f '${path}'`);
      else if (path.endsWith('.yaml')) lines.push(`mkdir -p "$(dirname '${path}')" && cat > '${path}' <<'FERRY_EOF'\n${text(bytes).replace(/\n$/, '')}\nFERRY_EOF`);
      else lines.push(`mkdir -p "$(dirname '${path}')" && echo '${Buffer.from(bytes).toString('base64')}' | base64 -d > '${path}'`);
    }
    lines.push(`git add -A && git commit -qm ${JSON.stringify(s.label)}`);
    lines.push(...deployLines(i));
  });
  return lines.join('\n') + '\n';
}

export { utf8 };
