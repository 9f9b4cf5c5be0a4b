/**
 * A throwaway PostgreSQL cluster for the test run: `initdb` + `pg_ctl` in a temp folder, on a
 * free port, listening on 127.0.0.1 only, trust authentication (nothing else can reach it). As
 * root the server runs as the unprivileged `postgres` user (PostgreSQL refuses to run as root).
 * When FERRY_TEST_POSTGRES_URL is set, that server is used instead and nothing is started.
 *
 * Started once per `vitest run` by test/support/postgres-global-setup.ts; tests reach it through
 * test/support/postgres.ts (`freshPostgresUrl()`); the PostgreSQL benchmark uses it too (plain JS for
 * that reason).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/**
 * @typedef {object} PostgresCluster
 * @property {string} url URL of the cluster's `postgres` database, e.g. postgres://ferry@127.0.0.1:5433/postgres
 * @property {() => void} stop
 */

/** Where initdb is: on PATH, or in Debian's /usr/lib/postgresql/<major>/bin (newest first). */
/** @returns {string | undefined} */
export function findPostgresBin() {
  const onPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  // Resolved: a symlink on PATH (e.g. /usr/local/bin/initdb) points at the folder with pg_ctl.
  if (onPath.status === 0 && onPath.stdout.trim()) return dirname(realpathSync(onPath.stdout.trim()));
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const majors = readdirSync(base)
    .filter((d) => /^\d+$/.test(d) && existsSync(join(base, d, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return majors.length ? join(base, majors[0], 'bin') : undefined;
}

/** @returns {Promise<number>} */
async function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = /** @type {{ port: number }} */ (s.address()).port;
      s.close(() => resolve(port));
    });
  });
}

/** Starts a cluster, or returns undefined when no PostgreSQL binaries are installed. */
/** @returns {Promise<PostgresCluster | undefined>} */
export async function startPostgresCluster() {
  const bin = findPostgresBin();
  if (!bin) return undefined;
  const root = mkdtempSync(join(tmpdir(), 'ferry-pg-'));
  const data = join(root, 'data');
  const asRoot = process.getuid?.() === 0;
  // The server's user must own the folder; the socket folder is the same temp folder.
  /** @param {string} cmd @param {string[]} args */
  const run = (cmd, args) => {
    const full = join(bin, cmd);
    const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', full, ...args]] : [full, args];
    execFileSync(file, argv, { stdio: ['ignore', 'pipe', 'pipe'], cwd: root, env: { ...process.env, LC_ALL: 'C' } });
  };
  try {
    if (asRoot) {
      const { uid, gid } = postgresUser();
      chownSync(root, uid, gid);
      chmodSync(root, 0o700);
    }
    run('initdb', ['-D', data, '-U', 'ferry', '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync']);
    // Test settings: no fsync (a throwaway cluster), room for parallel test files and replicas.
    // Appended to the file initdb wrote, which keeps its owner.
    appendFileSync(
      join(data, 'postgresql.conf'),
      ['', 'fsync = off', 'synchronous_commit = off', 'full_page_writes = off', 'max_connections = 300', 'shared_buffers = 64MB', ''].join('\n'),
    );
    const port = await freePort();
    run('pg_ctl', ['-D', data, '-l', join(root, 'server.log'), '-w', '-t', '60', '-o', `-p ${port} -k ${root} -c listen_addresses=127.0.0.1`, 'start']);
    let stopped = false;
    return {
      url: `postgres://ferry@127.0.0.1:${port}/postgres`,
      stop() {
        if (stopped) return;
        stopped = true;
        try {
          run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
        } finally {
          rmSync(root, { recursive: true, force: true });
        }
      },
    };
  } catch (e) {
    const log = existsSync(join(root, 'server.log')) ? execFileSync('tail', ['-n', '20', join(root, 'server.log')], { encoding: 'utf8' }) : '';
    rmSync(root, { recursive: true, force: true });
    const err = /** @type {{ stderr?: Buffer; message: string }} */ (e);
    throw new Error(`Could not start a throwaway PostgreSQL cluster with ${bin}: ${err.stderr?.toString() || err.message}\n${log}`);
  }
}

/** @returns {{ uid: number; gid: number }} */
function postgresUser() {
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  return { uid, gid };
}
