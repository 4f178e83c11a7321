/**
 * The optimizer kernels as the core exports them: one entry,
 * `optimizerStep{F32,F64}(id, p, g, bufs, n, row)`, for every kernel. Ids, row
 * slots and buffer indices are generated at build time from the TypeScript
 * declarations (scripts/gen-layout.mjs); {@link checkLayout} confirms that
 * the binary in use was built from the same declarations.
 */
import { kernelDecls } from "../src/optim/index.js";
import type { Core, Kernels } from "./module.js";

/** One step over n elements: params, grads, buffer-pointer table, length, coefficient row (all addresses in wasm memory). */
export type StepKernel = (p: number, g: number, bufs: number, n: number, row: number) => void;

type Entry = (id: number, p: number, g: number, bufs: number, n: number, row: number) => void;

/** The f32 and f64 steps of kernel `id`. */
export function stepKernels(core: Core, id: number): { f32: StepKernel; f64: StepKernel } {
  const e = core.exports;
  const f32 = e.optimizerStepF32 as unknown as Entry;
  const f64 = e.optimizerStepF64 as unknown as Entry;
  return {
    f32: (p, g, b, n, row) => f32(id, p, g, b, n, row),
    f64: (p, g, b, n, row) => f64(id, p, g, b, n, row),
  };
}

/**
 * Throws when the core's kernels do not have the row lengths and buffer
 * counts the TypeScript declarations give (a core built from other sources,
 * e.g. an old build passed to `init({ wasm })`).
 */
export function checkLayout(exports: Kernels): void {
  const rowLength = exports.kernelRowLength as (id: number) => number;
  const bufferCount = exports.kernelBufferCount as (id: number) => number;
  kernelDecls.forEach((k, id) => {
    if (rowLength(id) !== k.scalars.length || bufferCount(id) !== k.buffers.length) {
      throw new Error(
        `the wasm core was built from other kernel declarations: kernel ${id} (${k.name}) has ${rowLength(id)} scalars and ${bufferCount(id)} buffers there, ` +
          `${k.scalars.length} and ${k.buffers.length} here; rebuild it (npm run build)`,
      );
    }
  });
  if (rowLength(kernelDecls.length) !== -1) throw new Error("the wasm core has more kernels than the declarations; rebuild it (npm run build)");
}
