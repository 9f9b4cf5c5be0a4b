import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { assertOid, gitError, missingObject } from './errors.js';
import { spawnGit } from './run-git.js';

export interface GitObject {
  type: string;
  bytes: Uint8Array;
}

interface Request {
  results: Map<string, GitObject>;
  remaining: number;
  resolve(results: Map<string, GitObject>): void;
  reject(error: unknown): void;
  failed: boolean;
}

interface Expected {
  oid: string;
  request: Request;
}

const LF = 0x0a;

/**
 * ONE long-lived `git cat-file --batch` for every object read of a port: oids go to its stdin,
 * `<oid> <type> <size>\n<bytes>\n` (or `<oid> missing\n`) come back from stdout in the same order.
 * Spawning a process per blob costs 2–3 ms each; this costs one spawn per port (see
 * performance-floors.md). Concurrent calls are safe: each call writes its oids in one write and
 * appends them to the FIFO of expected answers at the same moment, so answers match in order.
 *
 * The process is spawned lazily and unref'd while idle, so a forgotten `close()` never keeps
 * Node alive; while a request is pending it is ref'd so the awaiting program cannot exit early.
 */
export class CatFileBatch {
  private proc: ChildProcessWithoutNullStreams | undefined;
  /** Settles when the current process has exited (after its exit was handled). */
  private exited: Promise<void> | undefined;
  private readonly expected: Expected[] = [];
  private expectedHead = 0;
  private header: Buffer[] = [];
  /** Object being received: its bytes so far. */
  private body: { oid: string; type: string; bytes: Uint8Array; filled: number } | undefined;
  /** The LF git writes after each object's bytes is still to come. */
  private pendingLf = false;
  private stderr = '';
  private closed = false;

  constructor(
    private readonly cwd: string,
    private readonly env: Record<string, string>,
  ) {}

  /** Objects asked for ahead of time (prefetch), until a read takes them. */
  private readonly prefetched = new Map<string, Promise<GitObject | undefined>>();

  /**
   * Starts reading objects a later `read` will ask for; that read gets them from here (each
   * once). Failures surface in that read, not here.
   */
  prefetch(oids: readonly string[]): void {
    const fresh = [...new Set(oids)].filter((oid) => !this.prefetched.has(oid));
    if (fresh.length === 0 || this.closed) return;
    const pending = this.readFromGit(fresh);
    for (const oid of fresh) {
      const one = pending.then((m) => m.get(oid));
      one.catch(() => undefined);
      this.prefetched.set(oid, one);
    }
  }

  read(oids: readonly string[]): Promise<Map<string, GitObject>> {
    if (this.closed) return Promise.reject(gitError('the git reader was closed'));
    if (this.prefetched.size === 0) return this.readFromGit(oids);
    const unique = [...new Set(oids)];
    const ahead = new Set(unique.filter((oid) => this.prefetched.has(oid)));
    if (ahead.size === 0) return this.readFromGit(unique);
    const parts = [...ahead].map((oid) => {
      const p = this.prefetched.get(oid)!;
      this.prefetched.delete(oid);
      return p.then((o): [string, GitObject | undefined] => [oid, o]);
    });
    const rest = unique.filter((oid) => !ahead.has(oid));
    return Promise.all([Promise.all(parts), rest.length ? this.readFromGit(rest) : new Map<string, GitObject>()]).then(([got, more]) => {
      const out = new Map(more);
      for (const [oid, o] of got) {
        if (!o) throw missingObject(oid);
        out.set(oid, o);
      }
      return out;
    });
  }

  private readFromGit(oids: readonly string[]): Promise<Map<string, GitObject>> {
    if (this.closed) return Promise.reject(gitError('the git reader was closed'));
    const unique = [...new Set(oids)];
    for (const oid of unique) assertOid(oid);
    if (unique.length === 0) return Promise.resolve(new Map());
    return new Promise((resolve, reject) => {
      const request: Request = { results: new Map(), remaining: unique.length, resolve, reject, failed: false };
      const proc = this.start();
      for (const oid of unique) this.expected.push({ oid, request });
      this.setActive(true);
      proc.stdin.write(unique.join('\n') + '\n');
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.prefetched.clear();
    const proc = this.proc;
    if (!proc) return;
    // Stay alive until git has exited, or the awaiting caller would be dropped with the event loop.
    this.setActive(true);
    proc.stdin.end();
    await this.exited;
  }

  private start(): ChildProcessWithoutNullStreams {
    if (this.proc) return this.proc;
    const proc = spawnGit(this.cwd, ['cat-file', '--batch'], this.env);
    this.proc = proc;
    this.stderr = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      try {
        this.onData(chunk);
      } catch (e) {
        this.failAll(e);
        proc.kill();
      }
    });
    proc.stderr.on('data', (chunk: Buffer) => {
      if (this.stderr.length < 4096) this.stderr += chunk.toString('utf8');
    });
    // EPIPE when git died: the exit handler below reports it.
    proc.stdin.on('error', () => undefined);
    this.exited = new Promise((resolve) => {
      let done = false;
      const finish = (why: string): void => {
        if (done) return;
        done = true;
        if (this.proc === proc) this.proc = undefined;
        this.header = [];
        this.body = undefined;
        this.pendingLf = false;
        this.failAll(gitError(`git cat-file stopped before answering: ${this.stderr.trim() || why}`, { stderr: this.stderr }));
        resolve();
      };
      // A failed spawn (no git on PATH) may never emit 'close'.
      proc.on('error', (e) => {
        if (proc.pid === undefined) finish(e.message);
      });
      proc.on('close', (code, signal) => finish(signal ? `killed by ${signal}` : `exit code ${code}`));
    });
    return proc;
  }

  private onData(chunk: Buffer): void {
    let off = 0;
    while (off < chunk.length) {
      if (this.body) {
        const b = this.body;
        const n = Math.min(b.bytes.length - b.filled, chunk.length - off);
        b.bytes.set(chunk.subarray(off, off + n), b.filled);
        b.filled += n;
        off += n;
        if (b.filled === b.bytes.length) {
          this.body = undefined;
          this.pendingLf = true;
          this.deliver(b.oid, { type: b.type, bytes: b.bytes });
        }
        continue;
      }
      if (this.pendingLf) {
        if (chunk[off] !== LF) throw gitError('git cat-file answered out of step (no LF after an object)');
        this.pendingLf = false;
        off++;
        continue;
      }
      const nl = chunk.indexOf(LF, off);
      if (nl === -1) {
        this.header.push(chunk.subarray(off));
        return;
      }
      let line: string;
      if (this.header.length === 0) line = chunk.toString('latin1', off, nl);
      else {
        this.header.push(chunk.subarray(off, nl));
        line = Buffer.concat(this.header).toString('latin1');
        this.header = [];
      }
      off = nl + 1;
      const parts = line.split(' ');
      if (parts.length === 2 && (parts[1] === 'missing' || parts[1] === 'ambiguous')) {
        this.deliver(parts[0], undefined);
        continue;
      }
      if (parts.length !== 3) throw gitError(`git cat-file answered an unexpected line: ${JSON.stringify(line)}`);
      const size = Number(parts[2]);
      if (off + size <= chunk.length) {
        // The whole object is in this chunk: hand out a view instead of copying. Each chunk is
        // a fresh buffer from the pipe, so the view stays valid; it only keeps its chunk alive.
        const bytes = new Uint8Array(chunk.buffer, chunk.byteOffset + off, size);
        off += size;
        this.pendingLf = true;
        this.deliver(parts[0], { type: parts[1], bytes });
      } else {
        this.body = { oid: parts[0], type: parts[1], bytes: new Uint8Array(size), filled: 0 };
      }
    }
  }

  private deliver(oid: string, object: GitObject | undefined): void {
    const next = this.expected[this.expectedHead];
    if (!next) throw gitError(`git cat-file answered ${oid} that nobody asked for`);
    if (next.oid !== oid) throw gitError(`git cat-file answered ${oid} where ${next.oid} was expected`);
    this.expected[this.expectedHead] = undefined as unknown as Expected;
    this.expectedHead++;
    if (this.expectedHead === this.expected.length) {
      this.expected.length = 0;
      this.expectedHead = 0;
      this.setActive(false);
    }
    const { request } = next;
    if (request.failed) return;
    if (!object) {
      request.failed = true;
      request.reject(missingObject(oid));
      return;
    }
    request.results.set(oid, object);
    if (--request.remaining === 0) request.resolve(request.results);
  }

  private failAll(error: unknown): void {
    const pending = this.expected.slice(this.expectedHead);
    this.expected.length = 0;
    this.expectedHead = 0;
    for (const { request } of pending) {
      if (request.failed) continue;
      request.failed = true;
      request.reject(error);
    }
  }

  /** Keeps Node alive only while answers are awaited. */
  private setActive(active: boolean): void {
    const proc = this.proc;
    if (!proc) return;
    const method = active ? 'ref' : 'unref';
    proc[method]();
    for (const stream of [proc.stdin, proc.stdout, proc.stderr] as unknown as { ref?(): void; unref?(): void }[]) stream?.[method]?.();
  }
}
