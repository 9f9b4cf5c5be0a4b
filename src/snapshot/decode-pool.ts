import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { DecodeFileResult, DecodeOptions, FileInput } from '../format/decode.js';
import { InternalError } from '../errors/index.js';

/** One job: the files' bytes back to back in one transferred buffer. */
export interface DecodeJob {
  id: number;
  opts: DecodeOptions;
  paths: string[];
  oids: (string | undefined)[];
  /** Start of each file in `buffer`, plus the end of the last. */
  offsets: number[];
  buffer: ArrayBuffer;
}

export interface DecodeReply {
  id: number;
  results: DecodeFileResult[];
}

/**
 * Worker threads that parse and check YAML files (decodeFile) while the main thread keeps
 * reading. Parsing is most of a full load (100k files: ~4 s of js-yaml); with two workers it
 * runs beside git and the main thread instead of after them. Worth it only for large loads:
 * a worker costs ~50-100 ms to start, and results come back by structured clone.
 */
export class DecodePool {
  private readonly workers: Worker[];
  private readonly waiting = new Map<number, { resolve(r: DecodeFileResult[]): void; reject(e: unknown): void }>();
  private nextId = 0;
  private failure: unknown;

  private constructor(size: number) {
    this.workers = Array.from({ length: size }, () => {
      const w = new Worker(new URL('./decode-worker.js', import.meta.url));
      w.on('message', (reply: DecodeReply) => {
        const p = this.waiting.get(reply.id);
        this.waiting.delete(reply.id);
        p?.resolve(reply.results);
      });
      w.on('error', (e) => this.fail(e));
      w.on('exit', (code) => {
        if (code !== 0) this.fail(new InternalError(`a decode worker exited with code ${code}`));
      });
      return w;
    });
  }

  /** Workers for this machine: one per core beyond the main thread's, at least one, at most `max`. */
  static create(max = 2): DecodePool {
    return new DecodePool(Math.max(1, Math.min(max, availableParallelism())));
  }

  /** Decodes files on the next worker (round robin); results in the files' order. */
  decode(files: readonly FileInput[], opts: DecodeOptions): Promise<DecodeFileResult[]> {
    if (this.failure) return Promise.reject(this.failure);
    let total = 0;
    for (const f of files) total += f.bytes.byteLength;
    const buffer = new ArrayBuffer(total);
    const view = new Uint8Array(buffer);
    const offsets: number[] = [];
    let at = 0;
    for (const f of files) {
      offsets.push(at);
      view.set(f.bytes, at);
      at += f.bytes.byteLength;
    }
    offsets.push(at);
    const id = this.nextId++;
    const job: DecodeJob = { id, opts, paths: files.map((f) => f.path), oids: files.map((f) => f.oid), offsets, buffer };
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.workers[id % this.workers.length].postMessage(job, [buffer]);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private fail(e: unknown): void {
    this.failure ??= e;
    for (const p of this.waiting.values()) p.reject(e);
    this.waiting.clear();
  }
}
