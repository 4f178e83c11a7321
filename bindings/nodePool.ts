/**
 * The Node pool: `worker_threads`, one wasm instance per thread
 * (nodeWorker.ts), `size` threads (default: the machine's cores). Node only;
 * the CLI and the report use it, the package entry never imports it.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { WorkerPool, type RunPool, type WorkerReply } from "../src/sweep/pool.js";

/**
 * The worker script beside this module in dist/; from the TypeScript sources
 * (the tests), the built one (npm test builds first).
 */
function workerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith(".ts") ? new URL("../dist/bindings/nodeWorker.js", here) : new URL("./nodeWorker.js", here);
}

/** The machine's cores (what `--workers` defaults to). */
export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

/** A pool of `size` worker threads, started on first use and kept until close(). */
export function createNodePool(size = defaultWorkers()): RunPool {
  const url = workerUrl();
  return new WorkerPool(size, (onReply, onFail) => {
    const w = new Worker(url);
    w.on("message", (m: WorkerReply) => {
      // Idle until the pool posts again (it may, inside onReply).
      w.unref();
      onReply(m);
    });
    w.on("error", (e) => onFail(e));
    w.on("exit", (code) => {
      if (code !== 0 && code !== 1) onFail(new Error(`a worker thread exited with code ${code}`));
    });
    // A pool does not keep the process alive by itself between calls.
    w.unref();
    return {
      post: (req) => {
        w.ref();
        w.postMessage(req);
      },
      terminate: () => void w.terminate(),
    };
  });
}
