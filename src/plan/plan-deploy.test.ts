import { describe, expect, it } from 'vitest';
import type { RepositoryConfig, RestoreMode, Snapshot, SnapshotEntry, StoredObject, StoredObjectInfo } from '../model/index.js';
import { SnapshotBuilder } from '../validate/test-support/snapshot-builder.js';
import { diffEntries } from '../diff/index.js';
import { eventsForPlan } from './events.js';
import { indexTarget, matchHeadToTarget } from './match-target.js';
import { planDeploy } from './plan-deploy.js';

function targetOf(snapshot: Snapshot, patch: (info: StoredObjectInfo) => Partial<StoredObjectInfo> = () => ({})): {
  index: StoredObjectInfo[];
  objects: Map<string, StoredObject>;
} {
  const index: StoredObjectInfo[] = [];
  const objects = new Map<string, StoredObject>();
  for (const e of snapshot.entries.values()) {
    const info: StoredObjectInfo = { key: e.key, kind: e.kind, guid: 'guid' in e.object ? e.object.guid : undefined, codeName: e.codeName, path: e.path, sourceHash: e.hash };
    Object.assign(info, patch(info));
    index.push(info);
    objects.set(e.key, { ...info, object: e.object });
  }
  return { index, objects };
}

/** Plans `head` onto a target holding `target`, reading only what matchHeadToTarget says to read. */
function plan(head: Snapshot, target: Snapshot | undefined, mode: RestoreMode = 'CreateUpdate', config?: RepositoryConfig, patch?: (i: StoredObjectInfo) => Partial<StoredObjectInfo>) {
  const t = target ? targetOf(target, patch) : { index: [], objects: new Map<string, StoredObject>() };
  const files = [...head.entries.values()].map((e) => ({ path: e.path, oid: e.hash }));
  const match = matchHeadToTarget(files, t.index);
  const toRead = new Set(match.pathsToRead);
  const changedEntries: SnapshotEntry[] = [...head.entries.values()].filter((e) => toRead.has(e.path));
  const headTypes = new Map([...head.entries.values()].filter((e) => e.object.kind === 'contentType').map((e) => [e.codeName, e.object as never]));
  return planDeploy({
    environment: 'staging',
    mode,
    config: config ?? new SnapshotBuilder().config(),
    changedEntries,
    target: indexTarget(t.index),
    candidates: match.unmatchedTarget,
    targetObjects: t.objects,
    headTypes,
  });
}

const published = (title: string) => ({ 'en-US': { status: 'published' as const, displayName: title, fields: { title } } });

describe('planDeploy', () => {
  it('plans a first deployment as creates in dependency waves, then publishes', () => {
    const head = new SnapshotBuilder().item('espresso', { variants: published('Espresso') }).build();
    const p = plan(head, undefined);
    expect(p.diagnostics).toEqual([]);
    expect(p.steps.map((s) => `${s.action} ${s.kind} ${s.codeName}${s.language ? ` ${s.language}` : ''}`)).toEqual([
      'create language en-US',
      'create workspace editorial',
      'create contentType article',
      'create contentItem espresso',
      'publish contentItem espresso en-US',
    ]);
    expect(p.counts).toMatchObject({ create: 4, publish: 1, update: 0, delete: 0, skip: 0 });
  });

  it('plans nothing when the target holds every file byte for byte', () => {
    const head = new SnapshotBuilder().item('espresso').build();
    const p = plan(head, head);
    expect(p.steps).toEqual([]);
  });

  it('matches head files to the target by path and blob id, classifying only the rest', () => {
    const head = new SnapshotBuilder().item('espresso').item('latte').build();
    const t = targetOf(head, (i) => (i.codeName === 'latte' ? { sourceHash: 'old-oid' } : {}));
    const files = [...head.entries.values()].map((e) => ({ path: e.path, oid: e.hash }));
    files.push({ path: 'content/assets/images/logo.png', oid: 'bin-oid' });
    const classified: string[] = [];
    const m = matchHeadToTarget(files, t.index, (p) => {
      classified.push(p);
      return p.endsWith('.png') ? 'binary' : 'object';
    });
    expect(m.pathsToRead).toEqual([files.find((f) => f.path.endsWith('latte.yaml'))!.path]);
    expect(m.binaries.map((b) => b.path)).toEqual(['content/assets/images/logo.png']);
    expect(classified).toHaveLength(2);
    expect(m.unmatchedTarget.map((i) => i.codeName)).toEqual(['latte']);
  });

  it('updates a changed item with its field changes and republishes it', () => {
    const before = new SnapshotBuilder().item('espresso', { variants: published('Espresso') }).build();
    const after = new SnapshotBuilder().item('espresso', { variants: published('Espresso doppio') }).build();
    [...after.entries.values()].find((e) => e.codeName === 'espresso')!.hash = 'changed-oid';
    const p = plan(after, before);
    const update = p.steps.find((s) => s.action === 'update')!;
    expect(update.codeName).toBe('espresso');
    expect(update.reason).toContain('variants.en-US');
    const publishes = p.steps.filter((s) => s.action === 'publish');
    expect(publishes.map((s) => [s.republish, s.reason])).toEqual([[true, 'republish: variants.en-US.displayName, variants.en-US.fields.title changed']]);
  });

  it('skips existing objects in Create mode and names the reason', () => {
    const before = new SnapshotBuilder().item('espresso', { variants: published('Espresso') }).build();
    const after = new SnapshotBuilder().item('espresso', { variants: published('Changed') }).build();
    [...after.entries.values()].find((e) => e.codeName === 'espresso')!.hash = 'changed-oid';
    const p = plan(after, before, 'Create');
    expect(p.steps).toHaveLength(1);
    expect(p.steps[0]).toMatchObject({ action: 'skip', codeName: 'espresso', reason: 'exists (Create mode)' });
  });

  it('reports deletions as skipped in CreateUpdate and applies them last, in reverse dependency order, in Full', () => {
    const target = new SnapshotBuilder().contentType('recipe').item('espresso').item('cake', { contentType: 'recipe' }).build();
    const head = new SnapshotBuilder().item('espresso').build();
    const cu = plan(head, target, 'CreateUpdate');
    expect(cu.steps.map((s) => `${s.action} ${s.codeName}`)).toEqual(['skip cake', 'skip recipe']);
    expect(cu.steps[0].reason).toBe('deletions not applied (CreateUpdate)');
    const full = plan(head, target, 'Full');
    expect(full.steps.map((s) => `${s.action} ${s.kind} ${s.codeName}`)).toEqual(['delete contentItem cake', 'delete contentType recipe']);
    expect(full.steps.every((s) => s.wave === 'delete')).toBe(true);
  });

  it('treats a moved file with the same guid as a rename', () => {
    const before = new SnapshotBuilder().item('espresso').build();
    const head = new SnapshotBuilder().item('espresso').build();
    const e = [...head.entries.values()].find((x) => x.codeName === 'espresso')!;
    e.path = e.path.replace('espresso.yaml', 'espresso-shot.yaml');
    e.codeName = 'espresso-shot';
    (e.object as { codeName: string }).codeName = 'espresso-shot';
    e.hash = 'moved-oid';
    const p = plan(head, before);
    expect(p.steps.map((s) => s.action)).toEqual(['rename']);
    expect(p.steps[0].reason).toContain('renamed from `espresso`');
  });

  it('takes each change from the changeset rules `ferry diff` uses: the same two versions give the same change', () => {
    const deployed = new SnapshotBuilder().item('espresso', { variants: published('Espresso') }).item('latte').build();
    const head = new SnapshotBuilder().item('espresso', { variants: published('Espresso doppio') }).item('latte').build();
    const moved = [...head.entries.values()].find((x) => x.codeName === 'latte')!;
    moved.path = moved.path.replace('latte.yaml', 'caffe-latte.yaml');
    for (const e of head.entries.values()) if (e.codeName === 'espresso') e.hash = 'edited-oid';
    moved.hash = 'moved-oid';
    const p = plan(head, deployed);
    const diff = diffEntries(deployed.entries.values(), head.entries.values());
    const sources = [...new Map(p.steps.filter((s) => s.source).map((s) => [s.key, s.source!] as const)).values()];
    expect(sources.map((c) => `${c.op} ${c.codeName}`).sort()).toEqual(diff.changes.map((c) => `${c.op} ${c.codeName}`).sort());
    for (const c of diff.changes) {
      const planned = sources.find((s) => s.key === c.key)!;
      expect(planned.op === 'create' || planned.op === 'delete' ? [] : planned.fields).toEqual(c.op === 'create' || c.op === 'delete' ? [] : c.fields);
    }
  });

  it('still updates a file that changed only in bytes (formatting), though no changeset calls it a change', () => {
    const deployed = new SnapshotBuilder().item('espresso').build();
    const head = new SnapshotBuilder().item('espresso').build();
    for (const e of head.entries.values()) if (e.codeName === 'espresso') e.hash = 'reformatted-oid';
    expect(diffEntries(deployed.entries.values(), head.entries.values()).changes).toEqual([]);
    const p = plan(head, deployed);
    expect(p.steps.map((s) => `${s.action} ${s.codeName}: ${s.reason}`)).toEqual(['update espresso: file changed (formatting only)']);
  });

  it('refuses an object whose code name exists on the target with another guid, naming both guids', () => {
    const target = new SnapshotBuilder().build();
    const head = new SnapshotBuilder().build();
    const type = [...head.entries.values()].find((e) => e.kind === 'contentType')!;
    const newGuid = '11111111-2222-4333-8444-555555555555';
    const oldGuid = type.key;
    head.entries.delete(type.key);
    head.entries.set(newGuid, { ...type, key: newGuid, hash: 'x', object: { ...type.object, guid: newGuid } as never });
    const p = plan(head, target);
    const clash = p.diagnostics.find((d) => d.code === 'FERRY_E_GUID_CLASH')!;
    expect(clash.message).toContain(newGuid);
    expect(clash.message).toContain(oldGuid);
    expect(clash.file).toBe(type.path);
  });

  it('fails the plan when an item needs a content type neither on the target nor deployed', () => {
    const b = new SnapshotBuilder().item('espresso');
    const head = b.build();
    const config = { ...b.config(), kinds: b.config().kinds.filter((k) => k !== 'contentType') };
    const p = plan(head, undefined, 'CreateUpdate', config);
    const d = p.diagnostics.find((x) => x.code === 'FERRY_E_INCOMPATIBLE')!;
    expect(d.message).toBe('contentItem `espresso` needs contentType `article` (contentType), which is neither on staging nor created by this deployment');
  });

  it('in Create mode, refuses items whose content type differs on the target in what items hold, and is not updated', () => {
    const target = new SnapshotBuilder().build();
    const head = new SnapshotBuilder().item('espresso').build();
    const type = [...head.entries.values()].find((e) => e.kind === 'contentType')!;
    type.hash = 'type-changed';
    const t = type.object as { fields: { required: boolean }[] };
    t.fields[0] = { ...t.fields[0], required: !t.fields[0].required };
    const p = plan(head, target, 'Create');
    expect(p.diagnostics.map((d) => d.code)).toContain('FERRY_E_INCOMPATIBLE');
    expect(p.diagnostics.find((d) => d.code === 'FERRY_E_INCOMPATIBLE')!.message).toContain('not updated in Create mode');
  });

  it('in Create mode, lets items through when their content type differs on the target only in names and labels', () => {
    const target = new SnapshotBuilder().build();
    const head = new SnapshotBuilder().item('espresso').build();
    const type = [...head.entries.values()].find((e) => e.kind === 'contentType')!;
    type.hash = 'type-renamed';
    const t = type.object as { displayName: string; fields: { label?: string }[] };
    t.displayName = 'Article (v2)';
    t.fields[0] = { ...t.fields[0], label: 'A new label' };
    expect(plan(head, target, 'Create').diagnostics.filter((d) => d.code === 'FERRY_E_INCOMPATIBLE')).toEqual([]);
  });

  it('restores an object that drifted on the target even though its file did not change', () => {
    const head = new SnapshotBuilder().item('espresso').build();
    const p = plan(head, head, 'CreateUpdate', undefined, (i) => (i.codeName === 'espresso' ? { drift: 'changed' } : {}));
    expect(p.steps.map((s) => `${s.action} ${s.codeName}`)).toEqual(['update espresso']);
    expect(p.steps[0].reason).toContain('outside Ferry (drift)');
  });

  it('derives change-log events: publish, unpublish, removed variant, deletions', () => {
    const both = {
      'en-US': { status: 'published' as const, displayName: 'E', fields: { title: 'E' } },
      'es-ES': { status: 'published' as const, displayName: 'E', fields: { title: 'E' } },
    };
    const before = new SnapshotBuilder().language('es-ES').item('espresso', { variants: both }).item('gone', { variants: published('Gone') }).build();
    const head = new SnapshotBuilder()
      .language('es-ES')
      .item('espresso', { variants: { 'en-US': { status: 'draft', displayName: 'E', fields: { title: 'E' } } } })
      .build();
    [...head.entries.values()].find((e) => e.codeName === 'espresso')!.hash = 'changed';
    const p = plan(head, before, 'Full');
    const events = eventsForPlan(p, '2026-01-01T00:00:00Z').map((e) => `${e.type} ${e.locale ?? ''}`.trim());
    expect(events).toEqual(['entry_unpublished en-US', 'entry_deleted es-ES', 'entry_deleted en-US']);
  });

  it('republishes every published variant when a shared field changes', () => {
    const both = (title: string) => ({
      'en-US': { status: 'published' as const, displayName: 'E', fields: { title } },
      'es-ES': { status: 'published' as const, displayName: 'E', fields: { title } },
    });
    const before = new SnapshotBuilder().language('es-ES').item('espresso', { variants: both('E'), fields: { rating: 3 } }).build();
    const after = new SnapshotBuilder().language('es-ES').item('espresso', { variants: both('E'), fields: { rating: 4 } }).build();
    [...after.entries.values()].find((e) => e.codeName === 'espresso')!.hash = 'changed';
    const p = plan(after, before);
    expect(p.steps.filter((s) => s.action === 'publish').map((s) => [s.language, s.republish, s.reason])).toEqual([
      ['en-US', true, 'republish: shared field fields.rating changed'],
      ['es-ES', true, 'republish: shared field fields.rating changed'],
    ]);
  });

  it('a first publish is no republish', () => {
    const before = new SnapshotBuilder().item('espresso', { variants: { 'en-US': { status: 'draft', displayName: 'E', fields: { title: 'E' } } } }).build();
    const after = new SnapshotBuilder().item('espresso', { variants: published('E') }).build();
    [...after.entries.values()].find((e) => e.codeName === 'espresso')!.hash = 'changed';
    const [step] = plan(after, before).steps.filter((s) => s.action === 'publish');
    expect(step).toMatchObject({ action: 'publish', reason: 'status draft → published' });
    expect(step.republish).toBeUndefined();
  });
});
