/**
 * Initial parameters of a dense network, in torch's order and layout: for
 * each layer W (out × in, row-major) then b. Seeded schemes draw from one
 * Mulberry32 stream, layer by layer, W's elements in order, then b's:
 *
 * - `torch` (nn.Linear's default): W and b ~ U(−1/√in, 1/√in);
 * - `xavierUniform`: W ~ U(−a, a), a = √(6/(in + out)); b = 0;
 * - `heNormal` (kaiming_normal_, fan_in, ReLU gain): W ~ N(0, 2/in); b = 0.
 *
 * @packageDocumentation
 */
import { createRng } from "../experiments/random.js";

export type InitScheme = "torch" | "xavierUniform" | "heNormal";
export const initSchemes: readonly InitScheme[] = Object.freeze(["torch", "xavierUniform", "heNormal"]);

/** The tensor shapes of a network: [out, in] for each W, [out] for each b, in order. */
export function paramShapes(layers: readonly number[]): number[][] {
  const shapes: number[][] = [];
  for (let l = 0; l + 1 < layers.length; l++) shapes.push([layers[l + 1], layers[l]], [layers[l + 1]]);
  return shapes;
}

/** Human name of tensor t (W1, b1, W2, …) and its shape, for messages. */
export function paramName(layers: readonly number[], t: number): string {
  const l = Math.floor(t / 2) + 1;
  return t % 2 === 0 ? `W${l} (${layers[l]} × ${layers[l - 1]})` : `b${l} (${layers[l]})`;
}

/** Seeded initial values of every tensor, as f64 (an f32 network rounds them when it stores them). */
export function initialParams(layers: readonly number[], scheme: InitScheme, seed: number): Float64Array[] {
  const rng = createRng(seed);
  const out: Float64Array[] = [];
  for (let l = 0; l + 1 < layers.length; l++) {
    const fanIn = layers[l],
      fanOut = layers[l + 1];
    const W = new Float64Array(fanOut * fanIn),
      b = new Float64Array(fanOut);
    if (scheme === "torch") {
      const a = 1 / Math.sqrt(fanIn);
      for (let i = 0; i < W.length; i++) W[i] = rng.uniformIn(-a, a);
      for (let i = 0; i < b.length; i++) b[i] = rng.uniformIn(-a, a);
    } else if (scheme === "xavierUniform") {
      const a = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < W.length; i++) W[i] = rng.uniformIn(-a, a);
    } else {
      const std = Math.sqrt(2 / fanIn);
      for (let i = 0; i < W.length; i++) W[i] = std * rng.normal();
    }
    out.push(W, b);
  }
  return out;
}
