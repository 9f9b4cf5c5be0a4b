/** Worker side of the decode pool (decode-pool.ts): parses and checks the files of one job. */
import { parentPort } from 'node:worker_threads';
import { decodeFile } from '../format/decode.js';
import type { DecodeJob, DecodeReply } from './decode-pool.js';

parentPort!.on('message', (job: DecodeJob) => {
  const bytes = new Uint8Array(job.buffer);
  const results = job.paths.map((path, i) => decodeFile({ path, bytes: bytes.subarray(job.offsets[i], job.offsets[i + 1]), oid: job.oids[i] }, job.opts));
  const reply: DecodeReply = { id: job.id, results };
  parentPort!.postMessage(reply);
});
