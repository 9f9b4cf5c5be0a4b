import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/index.js';
import { deploy } from '../../src/restore/deploy.js';
import { createFolderReader } from '../../src/snapshot/index.js';
import { SqliteStore } from '../../src/store/index.js';
import { removeGitRepos } from '../support/gitdir.js';
import { recordingTracer } from '../../src/restore/test-support/recording-tracer.js';
import { makeSampleRepo } from '../support/sample-repo.js';

/** A deployment's phases as OpenTelemetry spans, through an injected tracer (no SDK needed). */
afterAll(removeGitRepos);

describe('deployment traces', () => {
  it('span every phase of a deployment under one ferry.deploy span, and mark a refused one as an error', async () => {
    const repo = makeSampleRepo();
    const { config } = parseConfigText(readFileSync(join(repo.dir, 'repository.config.yaml'), 'utf8'), {});
    const store = SqliteStore.open(join(repo.dir, '.ferry', 'traced.db'));
    try {
      const { tracer, spans } = recordingTracer();
      const base = { config: config!, environment: 'dev', store, reader: createFolderReader(repo.dir), source: 'working-tree', actor: 'test', now: () => new Date('2026-01-01T00:00:00Z'), tracer };
      const r = await deploy(base);
      expect(r.status).toBe('succeeded');
      expect(spans.map((s) => [s.name, s.parent ?? null])).toEqual([
        ['ferry.deploy', null],
        ['read', 'ferry.deploy'],
        ['validate', 'ferry.deploy'],
        ['plan', 'ferry.deploy'],
        ['resolve', 'ferry.deploy'],
        ['apply', 'ferry.deploy'],
        ['commit', 'ferry.deploy'],
      ]);
      expect(spans.every((s) => s.ended)).toBe(true);
      expect(spans[0].attributes).toMatchObject({ 'ferry.environment': 'dev', 'ferry.mode': 'CreateUpdate', 'ferry.source': 'working-tree' });
      expect(spans.some((s) => s.status?.code === 2)).toBe(false);

      // A refused deployment: the root span carries the error.
      repo.write({ 'content/items/author/maya-okafor.yaml': 'kind: contentItem\n' });
      const failing = recordingTracer();
      await expect(deploy({ ...base, reader: createFolderReader(repo.dir), tracer: failing.tracer })).rejects.toMatchObject({ code: 'FERRY_E_VALIDATION' });
      expect(failing.spans[0]).toMatchObject({ name: 'ferry.deploy', ended: true, status: { code: 2 } });
    } finally {
      await store.close();
    }
  });
});
