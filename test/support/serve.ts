/**
 * Real `ferry serve` processes for the transport tests: started from the built CLI
 * (`dist/cli/bin.js`, made by `npm run build`) on 127.0.0.1 with port 0, the port read from the
 * first log line. Also runs other CLI commands as processes and builds content repositories from
 * the sample `content/`, `schemas/` and `repository.config.yaml`.
 *
 * @example
 * const repo = makeContentRepo();
 * const prod = await startServe({ env: 'prod', secret: SECRET });
 * const r = await runFerry(['promote', 'staging', 'prod'], { cwd: repo.dir, env: { FERRY_STORE_PROD: prod.url } });
 * await prod.stop();
 * afterAll(stopAllServers);
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EMPTY_BODY_SHA256, sha256Of, signRequest, splitTarget } from '../../src/transport/signing.js';
import { makeGitRepo, makeTempDir, writeTree, type FileTree, type GitRepo } from './gitdir.js';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const FERRY_BIN = join(PROJECT_ROOT, 'dist', 'cli', 'bin.js');
/** `ferry serve` with test hooks in its io (see serve-hooked.mjs). */
const SERVE_HOOKED = join(PROJECT_ROOT, 'test', 'support', 'serve-hooked.mjs');
/** A valid shared secret (≥ 32 characters) for tests. */
export const TEST_SECRET = 'test-sync-secret-0123456789abcdef-XYZ';

export function assertBuilt(): void {
  if (!existsSync(FERRY_BIN)) throw new Error(`${FERRY_BIN} is missing: run \`npm run build\` before the transport tests.`);
}

/** Environment for Ferry processes: no variable of this machine leaks in except PATH and HOME. */
export function ferryEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: process.env.TMPDIR,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GITHUB_ACTOR: 'transport-test',
    NO_COLOR: '1',
    CI: '1',
  };
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export interface LogLine {
  time: string;
  level: string;
  msg: string;
  [field: string]: unknown;
}

export interface ServeHandle {
  readonly url: string;
  readonly port: number;
  /** Folder the instance runs in (its repository.config.yaml and `.ferry/` store). */
  readonly dir: string;
  readonly child: ChildProcess;
  /** Every JSON log line so far. */
  readonly logs: LogLine[];
  /** Raw stdout and stderr so far. */
  output(): { stdout: string; stderr: string };
  /** Resolves with the first log line (already seen or future) matching `pred`. */
  waitForLog(pred: (l: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** SIGTERM and wait for the exit; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL and wait. */
  kill9(): Promise<void>;
  /** Path of the instance's SQLite store file. */
  storeFile: string;
}

export interface StartServeOptions {
  env: string;
  secret?: string;
  /** Run in this folder (default: a new one holding the sample repository.config.yaml). */
  dir?: string;
  args?: string[];
  /** Extra process environment. */
  vars?: Record<string, string | undefined>;
  /** Test hooks given to the serve command through its io (a task delay, a foreign format version). */
  hooks?: { delayBeforeCommitMs?: number; delayAfterCommitMs?: number; formatVersion?: number };
  timeoutMs?: number;
}

const running = new Set<ChildProcess>();

/** A folder holding only the sample repository.config.yaml: an instance machine. */
export function makeInstanceDir(): string {
  const dir = makeTempDir('ferry-instance-');
  writeTree(dir, { 'repository.config.yaml': readFileSync(join(PROJECT_ROOT, 'repository.config.yaml')) });
  return dir;
}

/** Starts `ferry serve --env <env> --port 0` and waits for its `listening` line. */
export async function startServe(o: StartServeOptions): Promise<ServeHandle> {
  assertBuilt();
  const dir = o.dir ?? makeInstanceDir();
  const entry = o.hooks ? [SERVE_HOOKED, JSON.stringify(o.hooks)] : [FERRY_BIN];
  const child = spawn(process.execPath, [...entry, 'serve', '--env', o.env, '--port', '0', ...(o.args ?? [])], {
    cwd: dir,
    env: ferryEnv({ FERRY_SYNC_SECRET: o.secret ?? TEST_SECRET, ...o.vars }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const logs: LogLine[] = [];
  const waiters = new Set<() => void>();
  let stdout = '';
  let stderr = '';
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    pending += chunk.toString('utf8');
    let nl: number;
    while ((nl = pending.indexOf('\n')) !== -1) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      try {
        logs.push(JSON.parse(line) as LogLine);
      } catch {
        // Not a log line: kept in stdout only.
      }
    }
    for (const w of [...waiters]) w();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((r) =>
    child.on('exit', (code) => {
      running.delete(child);
      for (const w of [...waiters]) w();
      r(code);
    }),
  );

  const waitForLog = (pred: (l: LogLine) => boolean, timeoutMs = 15_000) =>
    new Promise<LogLine>((res, rej) => {
      const check = () => {
        const hit = logs.find(pred);
        if (hit) {
          cleanup();
          res(hit);
        } else if (child.exitCode !== null || child.signalCode !== null) {
          cleanup();
          rej(new Error(`ferry serve exited (${child.exitCode ?? child.signalCode}) before the expected log line.\nstdout:\n${stdout}\nstderr:\n${stderr}`));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        rej(new Error(`no matching log line within ${timeoutMs} ms.\nstdout:\n${stdout}\nstderr:\n${stderr}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });

  const first = await waitForLog(() => true, o.timeoutMs ?? 15_000);
  if (first.msg !== 'listening' || typeof first.port !== 'number') throw new Error(`unexpected first log line: ${JSON.stringify(first)}`);
  return {
    url: first.url as string,
    port: first.port,
    dir,
    child,
    logs,
    output: () => ({ stdout, stderr }),
    waitForLog,
    storeFile: join(dir, '.ferry', `${o.env}.db`),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Kills every server still running (call from afterAll/afterEach). */
export async function stopAllServers(): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((r) => {
          if (child.exitCode !== null || child.signalCode !== null) return r();
          child.once('exit', () => r());
          child.kill('SIGKILL');
        }),
    ),
  );
}

export interface FerryRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as its own process. */
export function runFerry(args: string[], o: { cwd: string; env?: Record<string, string | undefined>; secret?: string }): Promise<FerryRun> & { child: ChildProcess } {
  assertBuilt();
  const child = spawn(process.execPath, [FERRY_BIN, ...args], {
    cwd: o.cwd,
    env: ferryEnv({ FERRY_SYNC_SECRET: o.secret ?? TEST_SECRET, ...o.env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const done = new Promise<FerryRun>((r) => child.on('close', (code) => r({ code, stdout, stderr })));
  return Object.assign(done, { child });
}

/** The sample repository files (content/, schemas/, repository.config.yaml) as a FileTree. */
export function sampleFiles(): FileTree {
  const files: FileTree = { 'repository.config.yaml': readFileSync(join(PROJECT_ROOT, 'repository.config.yaml')) };
  for (const top of ['content', 'schemas']) {
    const walk = (abs: string) => {
      for (const name of readdirSync(abs)) {
        const p = join(abs, name);
        if (statSync(p).isDirectory()) walk(p);
        else files[relative(PROJECT_ROOT, p).split('\\').join('/')] = new Uint8Array(readFileSync(p));
      }
    };
    walk(join(PROJECT_ROOT, top));
  }
  return files;
}

/** A git repository made from the sample content, with `.ferry/` ignored; one commit. */
export function makeContentRepo(): GitRepo {
  return makeGitRepo({ ...sampleFiles(), '.gitignore': '.ferry/\n' }, { message: 'sample content' });
}

export interface RawRequest {
  method: string;
  /** Raw request target, sent as is (no normalization: `../` stays). */
  target: string;
  body?: Uint8Array | string;
  secret?: string;
  /** Override what is signed or sent, to forge bad requests. */
  timestamp?: number;
  nonce?: string;
  /** sha256 put in the signed header (default: of the body). */
  signedBodySha256?: string;
  /** Sign this body but send `body`. */
  signedBody?: Uint8Array | string;
  /** Send no signature headers at all. */
  unsigned?: boolean;
  headers?: Record<string, string>;
}

export interface RawResponse {
  status: number;
  body: string;
  json: any;
  /** The headers sent, to replay the request exactly. */
  sent: Record<string, string>;
}

/** One hand-made (optionally forged) request to an instance over plain HTTP. */
export function rawRequest(baseUrl: string, r: RawRequest): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const body = r.body === undefined ? undefined : Buffer.from(r.body);
  const signedBody = r.signedBody === undefined ? body : Buffer.from(r.signedBody);
  const bodySha256 = r.signedBodySha256 ?? (signedBody ? sha256Of(signedBody) : EMPTY_BODY_SHA256);
  const timestamp = String(r.timestamp ?? Date.now());
  const nonce = r.nonce ?? randomBytes(16).toString('hex');
  const { path, query } = splitTarget(r.target);
  const headers: Record<string, string> = { ...(r.headers ?? {}), 'content-length': String(body?.byteLength ?? 0) };
  if (!r.unsigned) {
    headers['x-ferry-timestamp'] = timestamp;
    headers['x-ferry-nonce'] = nonce;
    headers['x-ferry-content-sha256'] = bodySha256;
    headers['x-ferry-signature'] = signRequest(r.secret ?? TEST_SECRET, { method: r.method, path, query, timestamp, nonce, bodySha256 });
  }
  return sendRaw(url, r.method, r.target, headers, body);
}

/** Sends exactly these headers and body again (a replay). */
export function sendRaw(url: URL, method: string, target: string, headers: Record<string, string>, body?: Buffer): Promise<RawResponse> {
  return new Promise((resolvePromise, reject) => {
    const req = http.request({ hostname: url.hostname, port: url.port, method, path: target, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolvePromise({ status: res.statusCode ?? 0, body: text, json, sent: headers });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}
