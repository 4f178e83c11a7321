/**
 * The lab's worker pool: navigator.hardwareConcurrency Web Workers (one wasm
 * instance each), started on first use and kept warm between sweeps and
 * tunings, so their β-power tables and plans stay. The library's WorkerPool
 * schedules the tasks; results do not depend on the number of workers.
 */
import { WorkerPool, type RunPool } from "optimlab";

let pool: RunPool | undefined;

/** Workers of the pool: the machine's logical cores (at least 1, at most 16). */
export function poolSize(): number {
  return Math.max(1, Math.min(16, navigator.hardwareConcurrency || 1));
}

export function labPool(): RunPool {
  if (pool) return pool;
  pool = new WorkerPool(poolSize(), (onReply, onFail) => {
    const w = new Worker(new URL("./pool.worker.ts", import.meta.url), { type: "module" });
    w.onmessage = (ev) => onReply(ev.data);
    w.onerror = (ev) => {
      ev.preventDefault();
      onFail(new Error(`a sweep worker failed: ${ev.message}`));
    };
    return { post: (req) => w.postMessage(req), terminate: () => w.terminate() };
  });
  return pool;
}
