/**
 * Pools that run tasks (see evaluate.ts): a {@link WorkerPool} spreads them
 * over workers, each with its own backend (one wasm instance per worker, kept
 * warm between calls: its β-power tables and plans stay); {@link localPool}
 * runs them in the calling thread. Browser-safe: the workers themselves are
 * made by the caller (Node's worker_threads in bindings/nodePool.ts, Web
 * Workers in the lab), through {@link SpawnWorker}.
 *
 * Tasks go to whichever worker is free next; results come back in task
 * order, so the outcome never depends on the number of workers or on their
 * timing. Cancelling (an AbortSignal) drops the queued tasks, terminates the
 * workers busy with them (new ones start on the next call) and rejects with
 * a {@link CancelledError}.
 */
import type { Backend } from "../backend.js";
import { rangeError, typeError, isFieldError } from "../errors.js";
import type { BackendName, RunSpec } from "../run.js";
import { evaluateTask, type Task } from "./evaluate.js";

export interface RunOptions {
  signal?: AbortSignal;
  /** Called after each task with the runs done so far and in all. */
  onProgress?: (runsDone: number, runsTotal: number) => void;
}

export interface RunPool {
  /** Workers (1 for a local pool). */
  readonly size: number;
  /** Runs every task; the packed values of each, in task order. */
  run(tasks: readonly Task[], options?: RunOptions): Promise<Float64Array[]>;
  /** Stops the workers (a closed pool refuses new work). */
  close(): void;
}

/** The work was cancelled (Ctrl-C, the lab's Cancel button). */
export class CancelledError extends Error {
  override name = "CancelledError";
  constructor() {
    super("cancelled");
  }
}

/** An error as it crosses a worker boundary (field errors keep their field). */
export interface SerializedError {
  name: string;
  message: string;
  field?: string;
  detail?: string;
}

export function serializeError(e: unknown): SerializedError {
  const err = e instanceof Error ? e : new Error(String(e));
  return isFieldError(err) ? { name: err.name, message: err.message, field: err.field, detail: err.detail } : { name: err.name, message: err.message };
}

export function reviveError(s: SerializedError): Error {
  if (s.field !== undefined && s.detail !== undefined) return s.name === "TypeError" ? typeError(s.field, s.detail) : rangeError(s.field, s.detail);
  const e = new Error(s.message);
  e.name = s.name;
  return e;
}

/** What the pool sends a worker, and what the worker answers. */
export interface WorkerRequest {
  id: number;
  task: Task;
}
export type WorkerReply = { id: number; values: Float64Array } | { id: number; error: SerializedError };

/** A worker as the pool sees it. */
export interface PoolWorker {
  post(request: WorkerRequest): void;
  terminate(): void;
}

/** Makes a worker that answers requests through `onReply`; `onFail` reports its crash. */
export type SpawnWorker = (onReply: (r: WorkerReply) => void, onFail: (e: Error) => void) => PoolWorker;

/** The body of a worker: answers each request with {@link evaluateTask} on a backend made once per name. */
export function workerHandler(createBackend: (name: BackendName) => Promise<Backend>): (r: WorkerRequest) => Promise<WorkerReply> {
  const backends = new Map<BackendName, Promise<Backend>>();
  return async ({ id, task }) => {
    try {
      let b = backends.get(task.backend);
      if (!b) backends.set(task.backend, (b = createBackend(task.backend)));
      return { id, values: evaluateTask(await b, task) };
    } catch (e) {
      return { id, error: serializeError(e) };
    }
  };
}

interface Batch {
  results: Float64Array[];
  left: number;
  runsDone: number;
  runsTotal: number;
  finished: boolean;
  resolve(v: Float64Array[]): void;
  reject(e: unknown): void;
  onProgress?: RunOptions["onProgress"];
}

interface Job {
  id: number;
  index: number;
  task: Task;
  batch: Batch;
}

interface Slot {
  worker: PoolWorker;
  job: Job | undefined;
}

/** Tasks over `size` workers made by `spawn` on first use and kept between calls. */
export class WorkerPool implements RunPool {
  private readonly slots: (Slot | undefined)[];
  private queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    readonly size: number,
    private readonly spawn: SpawnWorker,
  ) {
    if (!Number.isInteger(size) || size < 1) throw rangeError("workers", `must be an integer ≥ 1; got ${size}`);
    this.slots = new Array(size).fill(undefined);
  }

  run(tasks: readonly Task[], o: RunOptions = {}): Promise<Float64Array[]> {
    if (this.closed) return Promise.reject(new Error("this pool is closed"));
    if (o.signal?.aborted) return Promise.reject(new CancelledError());
    return new Promise((resolve, reject) => {
      const batch: Batch = {
        results: new Array(tasks.length),
        left: tasks.length,
        runsDone: 0,
        runsTotal: tasks.reduce((n, t) => n + t.specs.length, 0),
        finished: false,
        resolve,
        reject,
        onProgress: o.onProgress,
      };
      if (tasks.length === 0) return resolve([]);
      o.signal?.addEventListener("abort", () => this.fail(batch, new CancelledError(), true), { once: true });
      tasks.forEach((task, index) => this.queue.push({ id: this.nextId++, index, task, batch }));
      this.pump();
    });
  }

  close(): void {
    this.closed = true;
    for (const j of this.queue) this.fail(j.batch, new CancelledError(), false);
    this.queue = [];
    this.slots.forEach((s, k) => {
      s?.worker.terminate();
      if (s?.job) this.fail(s.job.batch, new CancelledError(), false);
      this.slots[k] = undefined;
    });
  }

  /** Ends a batch: its queued jobs go; with `stop`, so do the workers busy with it. */
  private fail(batch: Batch, e: unknown, stop: boolean): void {
    if (batch.finished) return;
    batch.finished = true;
    this.queue = this.queue.filter((j) => j.batch !== batch);
    if (stop) {
      this.slots.forEach((s, k) => {
        if (s?.job?.batch === batch) {
          s.worker.terminate();
          this.slots[k] = undefined;
        }
      });
    }
    batch.reject(e);
    this.pump();
  }

  private pump(): void {
    if (this.closed) return;
    for (let k = 0; k < this.slots.length && this.queue.length; k++) {
      let s = this.slots[k];
      if (s?.job) continue;
      if (!s) s = this.slots[k] = this.start(k);
      const job = this.queue.shift()!;
      s.job = job;
      s.worker.post({ id: job.id, task: job.task });
    }
  }

  private start(k: number): Slot {
    const slot: Slot = { worker: undefined as unknown as PoolWorker, job: undefined };
    slot.worker = this.spawn(
      (reply) => {
        const job = slot.job;
        if (!job || job.id !== reply.id) return;
        slot.job = undefined;
        const b = job.batch;
        if (!b.finished) {
          if ("error" in reply) this.fail(b, reviveError(reply.error), false);
          else {
            b.results[job.index] = reply.values;
            b.runsDone += job.task.specs.length;
            b.left--;
            b.onProgress?.(b.runsDone, b.runsTotal);
            if (b.left === 0) {
              b.finished = true;
              b.resolve(b.results);
            }
          }
        }
        this.pump();
      },
      (e) => {
        const job = slot.job;
        if (this.slots[k] === slot) this.slots[k] = undefined;
        slot.worker.terminate();
        if (job) this.fail(job.batch, e, false);
        else this.pump();
      },
    );
    return slot;
  }
}

/**
 * Yields to the event loop (a macrotask: signals and timers get their turn).
 * setImmediate where there is one: Node's setTimeout(0) waits a whole
 * millisecond, which a sweep of short tasks spent idle.
 */
const immediate = (globalThis as { setImmediate?: (f: () => void) => unknown }).setImmediate;
const yieldToLoop = () => new Promise<void>((r) => (immediate ? immediate(r) : setTimeout(r, 0)));

/** A pool without workers: tasks run one after another in this thread, on backends from `backendFor`. */
export function localPool(backendFor: (name: BackendName) => Backend | Promise<Backend>): RunPool {
  let closed = false;
  return {
    size: 1,
    async run(tasks, o = {}) {
      if (closed) throw new Error("this pool is closed");
      const total = tasks.reduce((n, t) => n + t.specs.length, 0);
      const out: Float64Array[] = [];
      let done = 0;
      for (const t of tasks) {
        if (o.signal?.aborted) throw new CancelledError();
        out.push(evaluateTask(await backendFor(t.backend), t));
        done += t.specs.length;
        o.onProgress?.(done, total);
        await yieldToLoop();
      }
      if (o.signal?.aborted) throw new CancelledError();
      return out;
    },
    close() {
      closed = true;
    },
  };
}

/**
 * Cuts runs into tasks: small enough to spread over the workers (about
 * eight tasks per worker) and for their losses to stay within ~32 MB,
 * large enough for the wasm core to batch them (at most 512 runs).
 */
export function taskSize(runs: number, steps: number, workers: number): number {
  const byMemory = Math.max(1, Math.floor(32e6 / (16 * (steps + 1))));
  return Math.max(1, Math.min(512, byMemory, Math.ceil(runs / (8 * Math.max(1, workers)))));
}

/** Tasks of at most `size` consecutive specs each. */
export function chunkTasks(specs: readonly RunSpec[], size: number, backend: BackendName, measure: Task["measure"], label?: string, first = 0): Task[] {
  const tasks: Task[] = [];
  for (let i = 0; i < specs.length; i += size) tasks.push({ backend, specs: specs.slice(i, i + size), measure, ...(label ? { label, first: first + i } : {}) });
  return tasks;
}
