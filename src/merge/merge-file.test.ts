import { describe, expect, it } from 'vitest';
import { conflictDiagnostics, splitConflicts } from '../format/index.js';
import type { ContentItem } from '../model/index.js';
import { mergeContentFile } from './merge-file.js';
import { BODY, contentType, edit, item, ITEM_PATH, text, TYPE_PATH } from './test-support/objects.js';

const merge = (base: string, ours: string, theirs: string, path = ITEM_PATH) => mergeContentFile({ base, ours, theirs, path });
const en = (o: ContentItem) => o.variants['en-US'];

describe('mergeContentFile: clean merges give the canonical bytes of the combined object', () => {
  it('an English title fix and a new Spanish variant plus a rich-text edit', () => {
    const base = item();
    const ours = edit(base, (o) => (en(o).fields.title = 'Coffee origins, fixed'));
    const theirs = edit(base, (o) => {
      o.variants['es-ES'] = { status: 'draft', displayName: 'Orígenes del café', fields: { title: 'Orígenes del café' } };
      en(o).fields.body = BODY.replace('Yemen traded it.', 'Yemen traded it first.');
    });
    const expected = edit(ours, (o) => {
      o.variants['es-ES'] = theirs.variants['es-ES'];
      en(o).fields.body = en(theirs).fields.body;
    });
    const r = merge(text(base), text(ours), text(theirs));
    expect(r).toMatchObject({ clean: true, method: 'objects', conflicts: [] });
    expect(r.text).toBe(text(expected));
  });

  it('rich text edited in different paragraphs merges by lines', () => {
    const base = item();
    const ours = edit(base, (o) => (en(o).fields.body = BODY.replace('bean belt', 'coffee belt')));
    const theirs = edit(base, (o) => (en(o).fields.body = BODY.replace('Brazil grows the most.', 'Brazil grows a third.')));
    const r = merge(text(base), text(ours), text(theirs));
    expect(r.clean).toBe(true);
    expect(en(edit(base, () => {})).fields.body).toBe(BODY);
    expect(r.text).toBe(text(edit(base, (o) => (en(o).fields.body = BODY.replace('bean belt', 'coffee belt').replace('Brazil grows the most.', 'Brazil grows a third.')))));
  });

  it('a rename on one side and an edit on the other: the renamed object with the edit', () => {
    const base = item();
    const ours = edit(base, (o) => (o.codeName = 'coffee-history'));
    const theirs = edit(base, (o) => (o.fields.rating = 5));
    const path = 'content/items/article/coffee-history.yaml';
    const r = merge(text(base), text(ours, path), text(theirs), path);
    expect(r.clean).toBe(true);
    expect(r.text).toBe(text(edit(ours, (o) => (o.fields.rating = 5)), path));
  });

  it('two field additions to one content type keep both, in name order whichever side merges', () => {
    const base = contentType();
    const ours = edit(base, (o) => o.fields.push({ guid: '33333333-3333-4333-8333-333333333333', name: 'summary', type: 'longText', required: false, localized: true }));
    const theirs = edit(base, (o) => o.fields.push({ guid: '44444444-4444-4444-8444-444444444444', name: 'author', type: 'text', required: false, localized: false }));
    const a = merge(text(base, TYPE_PATH), text(ours, TYPE_PATH), text(theirs, TYPE_PATH), TYPE_PATH);
    const b = merge(text(base, TYPE_PATH), text(theirs, TYPE_PATH), text(ours, TYPE_PATH), TYPE_PATH);
    expect(a.clean).toBe(true);
    expect(a.text).toBe(b.text);
    expect(a.text).toBe(text(edit(base, (o) => o.fields.push(theirs.fields[2], ours.fields[2])), TYPE_PATH));
  });

  it('references added on both sides keep both; one removed on one side goes', () => {
    const base = edit(item(), (o) => (o.fields.related = ['aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000002']));
    const ours = edit(base, (o) => (o.fields.related = ['aaaaaaaa-0000-4000-8000-000000000002', 'aaaaaaaa-0000-4000-8000-000000000009']));
    const theirs = edit(base, (o) => (o.fields.related = [...(base.fields.related as string[]), 'aaaaaaaa-0000-4000-8000-000000000003']));
    const r = merge(text(base), text(ours), text(theirs));
    expect(r.clean).toBe(true);
    expect(r.text).toBe(text(edit(base, (o) => (o.fields.related = ['aaaaaaaa-0000-4000-8000-000000000002', 'aaaaaaaa-0000-4000-8000-000000000003', 'aaaaaaaa-0000-4000-8000-000000000009']))));
  });
});

describe('mergeContentFile: conflicts are marked around the smallest unit and read back by validate', () => {
  it('both changed the same title differently: markers around that one line', () => {
    const base = item();
    const ours = edit(base, (o) => (en(o).fields.title = 'Ours'));
    const theirs = edit(base, (o) => ((en(o).fields.title = 'Theirs'), (o.fields.rating = 2)));
    const r = merge(text(base), text(ours), text(theirs));
    expect(r.clean).toBe(false);
    expect(r.conflicts).toEqual([{ at: 'variants.en-US.fields.title', reason: 'both-changed', ours: 'Ours', theirs: 'Theirs' }]);
    expect(r.text).toContain('<<<<<<< ours\n      title: Ours\n=======\n      title: Theirs\n>>>>>>> theirs\n');
    // Choosing a side gives that side's canonical file (with the other side's clean changes).
    const split = splitConflicts(r.text);
    expect(split.ours).toBe(text(edit(theirs, (o) => (en(o).fields.title = 'Ours'))));
    expect(split.theirs).toBe(text(theirs));
    const d = conflictDiagnostics(ITEM_PATH, r.text);
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({
      code: 'FERRY_E_CONFLICT',
      file: ITEM_PATH,
      line: r.text.split('\n').indexOf('<<<<<<< ours') + 1,
      pointer: '/variants/en-US/fields/title',
      object: { kind: 'contentItem', guid: base.guid, codeName: 'coffee-origins' },
    });
    expect(d[0].message).toBe('unresolved merge conflict in variants.en-US.fields.title: ours "Ours", theirs "Theirs"');
  });

  it('rich text edited in the same paragraph: markers around those lines inside the block', () => {
    const base = item();
    const ours = edit(base, (o) => (en(o).fields.body = BODY.replace('Yemen traded it.', 'Yemen traded it A.')));
    const theirs = edit(base, (o) => (en(o).fields.body = BODY.replace('Yemen traded it.', 'Yemen traded it B.')));
    const r = merge(text(base), text(ours), text(theirs));
    expect(r.conflicts).toMatchObject([{ at: 'variants.en-US.fields.body', reason: 'text-lines', ours: '<p>Yemen traded it A.</p>', theirs: '<p>Yemen traded it B.</p>' }]);
    expect(r.text).toContain('<<<<<<< ours\n        <p>Yemen traded it A.</p>\n=======\n        <p>Yemen traded it B.</p>\n>>>>>>> theirs\n');
    const [d] = conflictDiagnostics(ITEM_PATH, r.text);
    expect(d.pointer).toBe('/variants/en-US/fields/body');
    expect(d.message).toBe('unresolved merge conflict in variants.en-US.fields.body: ours "<p>Yemen traded it A.</p>", theirs "<p>Yemen traded it B.</p>"');
  });

  it('one side deleted a variant the other edited', () => {
    const base = edit(item(), (o) => (o.variants['es-ES'] = { status: 'draft', displayName: 'Café', fields: { title: 'Café' } }));
    const ours = edit(base, (o) => delete o.variants['es-ES']);
    const theirs = edit(base, (o) => (o.variants['es-ES'].fields.title = 'Orígenes'));
    const r = merge(text(base), text(ours), text(theirs));
    expect(r.conflicts).toMatchObject([{ at: 'variants.es-ES', reason: 'delete-edit', ours: '(deleted)' }]);
    const [d] = conflictDiagnostics(ITEM_PATH, r.text);
    expect(d.pointer).toBe('/variants/es-ES');
    expect(d.message).toContain('ours (absent)');
  });

  it('both created the same code name with different guids: one conflict over the object', () => {
    const ours = item();
    const theirs = edit(item(), (o) => ((o.guid = '99999999-5b1e-4c3e-9a57-0d6f7c1e2b10'), (en(o).fields.title = 'Other')));
    const r = merge('', text(ours), text(theirs));
    expect(r.conflicts).toMatchObject([{ at: 'guid', reason: 'guid-clash', ours: ours.guid, theirs: theirs.guid }]);
    expect(r.text.match(/^<<<<<<< /gm)).toHaveLength(1);
    expect(splitConflicts(r.text)).toMatchObject({ ours: text(ours), theirs: text(theirs) });
    expect(conflictDiagnostics(ITEM_PATH, r.text).map((d) => [d.pointer, d.message])).toEqual([
      ['/guid', `unresolved merge conflict in guid (two different objects): ours "${ours.guid}", theirs "${theirs.guid}"`],
    ]);
  });

  it('a content type field removed on one side and edited on the other', () => {
    const base = contentType();
    const ours = edit(base, (o) => o.fields.splice(1, 1));
    const theirs = edit(base, (o) => (o.fields[1].required = true));
    const r = merge(text(base, TYPE_PATH), text(ours, TYPE_PATH), text(theirs, TYPE_PATH), TYPE_PATH);
    expect(r.conflicts).toMatchObject([{ at: 'fields.body', reason: 'delete-edit' }]);
    expect(splitConflicts(r.text)).toMatchObject({ ours: text(ours, TYPE_PATH), theirs: text(theirs, TYPE_PATH) });
    const [d] = conflictDiagnostics(TYPE_PATH, r.text);
    expect(d).toMatchObject({ pointer: '/fields/1', object: { kind: 'contentType', codeName: 'article' } });
    expect(d.message).toMatch(/^unresolved merge conflict in fields\[body\]: ours \(absent\), theirs "\{\\"guid\\":\\"22222222-/);
  });

  it('an item value of a removed field: removed on one side, changed on the other', () => {
    const base = item();
    const ours = edit(base, (o) => delete o.fields.rating);
    const theirs = edit(base, (o) => (o.fields.rating = 5));
    expect(merge(text(base), text(ours), text(theirs)).conflicts).toMatchObject([{ at: 'fields.rating', reason: 'delete-edit', ours: '(deleted)', theirs: '5' }]);
  });
});

describe('mergeContentFile: files that are not Ferry objects merge by lines', () => {
  it('merges disjoint line edits and marks overlapping ones', () => {
    const r = merge('a\nb\nc\n', 'A\nb\nc\n', 'a\nb\nC\n', 'content/README.txt');
    expect(r).toMatchObject({ clean: true, method: 'lines', text: 'A\nb\nC\n' });
    const c = merge('a\nb\n', 'x\nb\n', 'y\nb\n');
    expect(c).toMatchObject({ clean: false, method: 'lines', text: '<<<<<<< ours\nx\n=======\ny\n>>>>>>> theirs\nb\n' });
    expect(c.fallbackReason).toContain('not a Ferry object');
  });
});
