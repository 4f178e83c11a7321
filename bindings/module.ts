/**
 * Loading the WebAssembly core: compiled once, asynchronously, from the
 * embedded binary (or one given to {@link init}), with
 * `@assemblyscript/loader`.
 */
import { instantiate } from "@assemblyscript/loader";
import { TensorLedger } from "../src/ledger.js";
import { Arena } from "./arena.js";
import { checkLayout } from "./kernels.js";
import { WASM_BASE64, WASM_SHA256 } from "./generated/wasm.js";

/** The kernel exports (pointer, count and f64 arguments only). */
export type Kernels = Record<string, (...args: number[]) => number | undefined> & { memory: WebAssembly.Memory; heapBase(): number };

export interface Core {
  readonly exports: Kernels;
  readonly memory: WebAssembly.Memory;
  readonly arena: Arena;
  /** Tensors users made on this core (backend.memory(), backend.tidy()). */
  readonly ledger: TensorLedger;
  /** SHA-256 of the binary in use when it is the embedded one, else undefined. */
  readonly sha256: string | undefined;
}

/** A module using one v128 instruction: engines without SIMD reject it. */
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 8, 1, 6, 0, 65, 0, 253, 15, 11]);

/** Whether this engine runs WebAssembly SIMD (what the core needs). */
export function simdSupported(): boolean {
  try {
    return typeof WebAssembly === "object" && WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

function decodeBase64(s: string): Uint8Array {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

let pending: Promise<Core> | undefined;

export interface InitOptions {
  /** Another build of the core (bytes or a compiled module), e.g. the debug build or one fetched by the page. */
  wasm?: BufferSource | WebAssembly.Module;
}

/**
 * Compiles and instantiates the core once; later calls return the same
 * promise. Passing `wasm` before the first call replaces the embedded binary;
 * passing it after is an Error (the core is already running).
 */
export function init(options: InitOptions = {}): Promise<Core> {
  if (pending) {
    if (options.wasm) return Promise.reject(new Error("init({ wasm }) must come before the core is first used"));
    return pending;
  }
  pending = load(options).catch((e) => {
    pending = undefined;
    throw e;
  });
  return pending;
}

async function load(options: InitOptions): Promise<Core> {
  if (!simdSupported()) throw new Error("this WebAssembly engine has no SIMD support; use the js backend");
  const source = options.wasm ?? decodeBase64(WASM_BASE64);
  const { exports } = await instantiate<Record<string, unknown>>(source as WebAssembly.Module, {
    env: {
      abort(_msg: number, _file: number, line: number, col: number) {
        throw new WasmAbort(`assertion failed in the wasm core at ${line}:${col}`);
      },
    },
  });
  const k = exports as unknown as Kernels;
  checkLayout(k);
  return { exports: k, memory: k.memory, arena: new Arena(k.memory, k.heapBase()), ledger: new TensorLedger(), sha256: options.wasm ? undefined : WASM_SHA256 };
}

/** A failed assertion inside a kernel (debug builds check more). */
export class WasmAbort extends Error {
  override name = "WasmAbort";
}
