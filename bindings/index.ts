/**
 * The package's entry: the reference library plus `createBackend`, which is
 * the one place that may choose the WebAssembly core. `src/` never imports
 * this folder, so the reference stands alone.
 */
import { jsBackend, type Backend } from "../src/backend.js";
import { check } from "../src/errors.js";

export * from "../src/index.js";

/**
 * A backend by name. The WebAssembly core is not built yet: asking for
 * "wasm" is an Error saying so, and the default is "js".
 */
export async function createBackend(kind?: "js" | "wasm"): Promise<Backend> {
  const k = kind === undefined ? "js" : check.oneOf("backend", kind, ["js", "wasm"] as const);
  if (k === "wasm") throw new WasmUnavailableError("the wasm backend is not built yet; use --backend js");
  return jsBackend;
}

/** The WebAssembly backend cannot be used here (not built, or the engine lacks SIMD). */
export class WasmUnavailableError extends Error {
  override name = "WasmUnavailableError";
}
