/**
 * A Web Worker of the lab's pool (pool.ts): one wasm instance for the
 * worker's life, answering tasks with the library's evaluateTask, the same
 * code Node's worker threads run.
 */
import { createBackend, workerHandler, type WorkerRequest } from "optimlab";

const handle = workerHandler((name) => createBackend(name));

self.onmessage = async (ev: MessageEvent<WorkerRequest>) => {
  const reply = await handle(ev.data);
  (self as unknown as Worker).postMessage(reply, "values" in reply ? [reply.values.buffer as ArrayBuffer] : []);
};
