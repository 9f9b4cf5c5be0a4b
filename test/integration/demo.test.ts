/** `npm start`: the promotion tour runs end to end on embedded SQLite stores. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../support/sample-repo.js';

describe('the demo', () => {
  it('deploys, promotes, edits, promotes again and rolls prod back', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [join(PROJECT_ROOT, 'dist', 'demo', 'main.js')], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, CI: 'true' },
      maxBuffer: 16 * 1024 * 1024,
    });
    expect(stdout).toMatch(/Deployed dev at [0-9a-f]{10} as deployment #1: 79 created/);
    expect(stdout).toMatch(/Deployed prod at [0-9a-f]{10} \(v1\.0\.0\) as deployment #1/);
    expect(stdout).toContain('#### ✏️ Updated contentItem');
    expect(stdout).toMatch(/Deployed prod at [0-9a-f]{10} \(v1\.0\.0\) as deployment #3: 0 created, 1 updated/);
    const finalStatus = stdout.slice(stdout.lastIndexOf('$ ferry status'));
    expect(finalStatus).toMatch(/prod \(from staging\)[\s\S]*deployed: [0-9a-f]{10} \(v1\.0\.0\)/);
    expect(finalStatus).toMatch(/behind staging: 1 commit\(s\), 1 object file\(s\)/);
  }, 120_000);
});
