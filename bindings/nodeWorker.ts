/**
 * A worker thread of the Node pool (nodePool.ts): one wasm instance, kept
 * for the thread's life, answering tasks with evaluateTask (src/sweep/).
 * Node only; never imported by the package entry.
 */
import { parentPort } from "node:worker_threads";
import { workerHandler, type WorkerRequest } from "../src/sweep/pool.js";
import { createBackend } from "./index.js";

const handle = workerHandler((name) => createBackend(name));
const port = parentPort!;
port.on("message", async (req: WorkerRequest) => {
  const reply = await handle(req);
  port.postMessage(reply, "values" in reply ? [reply.values.buffer as ArrayBuffer] : []);
});
