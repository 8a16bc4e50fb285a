// What coordinator and workers say to each other over NATS: the subjects, and how messages are
// packed. Batches of successors are raw Int32 records behind a three-slot header (the hot path pays
// no serialisation); control messages and replies are v8-serialised objects.
import { serialize, deserialize } from 'node:v8';

export const SUBJECT = {
  /** Workers not in a run say so here, about twice a second, with their id. */
  idle: 'interleave.idle',
  /** A coordinator asks idle workers to say so now rather than at their next tick. */
  who: 'interleave.who',
  /** A worker's own control subject: partitions to own, pings, release. */
  worker: (id: string) => `interleave.worker.${id}`,
  /** Requests to one partition of a run: batches, expand, commit, path. */
  partition: (run: string, p: number) => `interleave.${run}.p.${p}`,
  /** JetStream: a partition's log of one level (the states it stored, in order). */
  log: (run: string, p: number, level: number) => `interleave.${run}.log.${p}.${level}`,
  /** JetStream: the last level every partition committed. */
  committed: (run: string) => `interleave.${run}.committed`,
} as const;

/** The JetStream stream of a run, and its object store bucket (the spec bundle). */
export const streamOf = (run: string) => `INTERLEAVE_${run}`;
export const bucketOf = (run: string) => `interleave-${run}`;

/** Largest JetStream message a log is cut into (the server's default max_payload is 1 MiB). */
export const LOG_CHUNK = 512 * 1024;

export const OP = { batch: 1, expand: 2, commit: 3, path: 4 } as const;

/** A request to a partition: [op, epoch, argument] then, for a batch, its records. */
export function packRequest(op: number, epoch: number, arg: number, body?: Int32Array): Uint8Array {
  const out = new Int32Array(3 + (body?.length ?? 0));
  out[0] = op;
  out[1] = epoch;
  out[2] = arg;
  if (body) out.set(body, 3);
  return new Uint8Array(out.buffer);
}

export function unpackRequest(data: Uint8Array): { op: number; epoch: number; arg: number; body: Int32Array } {
  // NATS hands out views into its read buffer: copy, so that the Int32 view is aligned.
  const copy = new Int32Array(new Uint8Array(data).buffer);
  return { op: copy[0], epoch: copy[1], arg: copy[2], body: copy.subarray(3) };
}

export type Reply<T> = { ok: T } | { error: string; lost?: number };

export function pack(value: unknown): Uint8Array {
  return new Uint8Array(serialize(value));
}

export function unpack<T>(data: Uint8Array): T {
  return deserialize(data) as T;
}

/** Orders to a worker on its own subject. */
export type WorkerOrder =
  | { op: 'ping' }
  | {
      op: 'own';
      run: string;
      /** The run's partitions this worker owns from now on (its earlier ones are dropped). */
      partitions: number[];
      total: number;
      epoch: number;
      /** Rebuild the partitions from their logs up to this level (0: start empty). */
      restore: number;
      symmetry: boolean;
      deadlock?: boolean;
      batchSlots?: number;
    }
  | { op: 'release'; run: string };

/** A cluster failure the user must act on: reported on one line, the run stops. */
export class ClusterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClusterError';
  }
}
