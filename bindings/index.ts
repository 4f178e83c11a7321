/**
 * The package's entry: the reference library plus `createBackend`, the one
 * place that may choose the WebAssembly core. `src/` never imports this
 * folder, so the reference stands alone.
 */
import { jsBackend, type Backend } from "../src/backend.js";
import { check } from "../src/errors.js";
import { wasmBackend } from "./backend.js";
import { init, simdSupported } from "./module.js";

export * from "../src/index.js";
export { init, simdSupported, WasmAbort, type InitOptions, type Core } from "./module.js";
export { WasmTensor, WasmParam } from "./tensor.js";
export { WasmOptimizer } from "./optimizer.js";

/**
 * A backend by name. With no name: "wasm" when this engine validates a SIMD
 * probe module, else "js". Asking for "wasm" on an engine without SIMD is a
 * {@link WasmUnavailableError}.
 */
export async function createBackend(kind?: "js" | "wasm"): Promise<Backend> {
  const k = kind === undefined ? (simdSupported() ? "wasm" : "js") : check.oneOf("backend", kind, ["js", "wasm"] as const);
  if (k === "js") return jsBackend;
  if (!simdSupported()) throw new WasmUnavailableError("this WebAssembly engine has no SIMD support; use the js backend");
  return wasmBackend(await init());
}

/** The WebAssembly backend cannot be used here (the engine lacks SIMD). */
export class WasmUnavailableError extends Error {
  override name = "WasmUnavailableError";
}
