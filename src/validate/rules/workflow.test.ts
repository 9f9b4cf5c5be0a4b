import { describe, expect, it } from 'vitest';
import { validateBuilder } from '../test-support/run.js';
import { SnapshotBuilder } from '../test-support/snapshot-builder.js';

const WORKFLOW = [
  { codeName: 'draft', displayName: 'Draft' },
  { codeName: 'review', displayName: 'Awaiting approval' },
  { codeName: 'approved', displayName: 'Approved' },
  { codeName: 'published', displayName: 'Published' },
];

const variant = (status: 'draft' | 'published' | 'unpublished', step?: string) => ({ 'en-US': { status, ...(step ? { step } : {}), displayName: 'x', fields: { title: 'x' } } });

describe('workflow rule', () => {
  it('accepts variants at declared steps, published exactly at `published`', () => {
    const b = new SnapshotBuilder().workspace('editorial', { workflow: WORKFLOW });
    b.item('a', { variants: variant('draft', 'review') }).item('b', { variants: variant('published', 'published') }).item('c', { variants: variant('unpublished', 'approved') });
    expect(validateBuilder(b)).toEqual([]);
  });

  it('refuses a step the workspace does not declare, with file and pointer', () => {
    const b = new SnapshotBuilder().workspace('editorial', { workflow: WORKFLOW }).item('a', { variants: variant('draft', 'legal') });
    const out = validateBuilder(b);
    expect(out.map((d) => [d.code, d.file, d.pointer, d.message])).toEqual([
      ['FERRY_E_WORKFLOW', 'content/items/article/a.yaml', '/variants/en-US/step', 'variants.en-US.step: workspace editorial declares no step `legal` (its steps: draft, review, approved, published)'],
    ]);
    expect(out[0].object).toMatchObject({ kind: 'contentItem', codeName: 'a' });
  });

  it('refuses a status that disagrees with the step, a missing step, and a step without a workflow', () => {
    const b = new SnapshotBuilder().workspace('editorial', { workflow: WORKFLOW }).workspace('plain');
    b.item('a', { variants: variant('published', 'review') }).item('b', { variants: variant('draft') }).item('c', { workspace: 'plain', variants: variant('draft', 'review') });
    expect(validateBuilder(b).map((d) => [d.code, d.pointer, d.message])).toEqual([
      ['FERRY_E_WORKFLOW', '/variants/en-US/status', 'variants.en-US: step `review` with status `published`: a variant is published exactly at the `published` step'],
      ['FERRY_E_WORKFLOW', '/variants/en-US', 'variants.en-US: workspace editorial has a workflow (draft, review, approved, published): give the variant its step'],
      ['FERRY_E_WORKFLOW', '/variants/en-US/step', 'variants.en-US.step: workspace plain declares no workflow, so its items have a status and no step'],
    ]);
  });

  it('refuses a workflow without `published` or with a step twice, and a page with a step', () => {
    const b = new SnapshotBuilder().workspace('editorial', { workflow: [{ codeName: 'draft', displayName: 'Draft' }, { codeName: 'draft', displayName: 'Again' }] });
    b.page('home', { variants: { 'en-US': { status: 'draft', step: 'draft', displayName: 'Home', slug: 'home', fields: {} } } });
    expect(validateBuilder(b).filter((d) => d.code === 'FERRY_E_WORKFLOW').map((d) => [d.file, d.pointer, d.message])).toEqual([
      ['content/pages/website/home.yaml', '/variants/en-US/step', 'variants.en-US.step: pages belong to no workspace, so they have a status and no workflow step'],
      ['content/workspaces/editorial.yaml', '/workflow', 'workflow: no `published` step, so nothing of this workspace could be delivered'],
      ['content/workspaces/editorial.yaml', '/workflow/1/codeName', 'workflow: step `draft` is declared twice'],
    ]);
  });
});
