/**
 * The optimizer kernels as the core exports them: one entry,
 * `optimizerStep{F32,F64}(id, p, g, bufs, n, row)`, for every kernel (and
 * `optimizerCoefficients(id, t, inputs, powers, row)` for those whose
 * declaration has inputs: the core writing a step's row itself). Ids, row
 * slots and buffer indices are generated at build time from the TypeScript
 * declarations (scripts/gen-layout.mjs); {@link checkLayout} confirms that
 * the binary in use was built from the same declarations.
 */
import { kernelDecls } from "../src/optim/index.js";
import type { Core, Kernels } from "./module.js";

/** One step over n elements: params, grads, buffer-pointer table, length, coefficient row (all addresses in wasm memory). */
export type StepKernel = (p: number, g: number, bufs: number, n: number, row: number) => void;

type Entry = (id: number, p: number, g: number, bufs: number, n: number, row: number) => void;

/** One reduce pass over n elements: as {@link StepKernel}, adding this tensor's sums into the f64 array at `sums`. */
export type ReduceKernel = (p: number, g: number, bufs: number, n: number, row: number, sums: number) => void;

type ReduceEntry = (id: number, p: number, g: number, bufs: number, n: number, row: number, sums: number) => void;

/** The f32 and f64 steps (and reduce passes, for kernels with sums) of kernel `id`. */
export function stepKernels(core: Core, id: number): { f32: StepKernel; f64: StepKernel; reduceF32: ReduceKernel; reduceF64: ReduceKernel } {
  const e = core.exports;
  const f32 = e.optimizerStepF32 as unknown as Entry;
  const f64 = e.optimizerStepF64 as unknown as Entry;
  const r32 = e.optimizerReduceF32 as unknown as ReduceEntry;
  const r64 = e.optimizerReduceF64 as unknown as ReduceEntry;
  return {
    f32: (p, g, b, n, row) => f32(id, p, g, b, n, row),
    f64: (p, g, b, n, row) => f64(id, p, g, b, n, row),
    reduceF32: (p, g, b, n, row, sums) => r32(id, p, g, b, n, row, sums),
    reduceF64: (p, g, b, n, row, sums) => r64(id, p, g, b, n, row, sums),
  };
}

const COUNTED = ["scalars", "buffers", "sums", "inputs", "powers", "lane inputs"];

/**
 * Throws when the core's kernels do not have the row lengths, buffer, sum,
 * input, power and lane-input counts the TypeScript declarations give (a core built from other sources,
 * e.g. an old build passed to `init({ wasm })`).
 */
export function checkLayout(exports: Kernels): void {
  const rowLength = exports.kernelRowLength as (id: number) => number;
  const bufferCount = exports.kernelBufferCount as (id: number) => number;
  const sumCount = exports.kernelSumCount as (id: number) => number;
  const inputCount = exports.kernelInputCount as (id: number) => number;
  const powerCount = exports.kernelPowerCount as (id: number) => number;
  const laneCount = exports.kernelLaneInputCount as (id: number) => number;
  kernelDecls.forEach((k, id) => {
    const there = [rowLength(id), bufferCount(id), sumCount(id), inputCount(id), powerCount(id), laneCount(id)];
    const here = [k.scalars.length, k.buffers.length, k.sums.length, k.inputs.length, k.powers.length, k.laneInputs.length];
    if (there.some((n, i) => n !== here[i])) {
      const say = (ns: number[]) => ns.map((n, i) => `${n} ${COUNTED[i]}`).join(", ");
      throw new Error(
        `the wasm core was built from other kernel declarations: kernel ${id} (${k.name}) has ${say(there)} there, ${say(here)} here; rebuild it (npm run build)`,
      );
    }
  });
  if (rowLength(kernelDecls.length) !== -1) throw new Error("the wasm core has more kernels than the declarations; rebuild it (npm run build)");
}
