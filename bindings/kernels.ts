/**
 * How each algorithm's coefficients (from the shared TypeScript coefficient
 * function) map onto its kernel's arguments. The argument order is the
 * kernel's signature in assembly/optim/*.ts.
 */
import type { Coefficients } from "../src/optim/def.js";
import type { Kernels } from "./module.js";

/**
 * For the run engine (assembly/optim/dispatch.ts): each algorithm's id, its
 * buffers in kernel order (b0, b1, b2) and its scalars in kernel order (the
 * layout of one coefficient row). The explicit callers below pass the same
 * arguments in the same order; test/wasm-runs.test.ts checks that they agree.
 */
export const KERNEL_TABLE: Record<string, { id: number; buffers: readonly string[]; scalars: readonly string[] }> = {
  sgd: { id: 0, buffers: ["momentumBuffer"], scalars: ["lr", "momentum", "oneMinusDampening", "weightDecay", "nesterov", "maximize", "firstMomentumStep"] },
  adagrad: { id: 1, buffers: ["sum"], scalars: ["clr", "weightDecay", "eps", "epsInside", "maximize"] },
  rmsprop: {
    id: 2,
    buffers: ["squareAvg", "momentumBuffer", "gradAvg"],
    scalars: ["lr", "alpha", "oneMinusAlpha", "eps", "epsInside", "weightDecay", "momentum", "centered", "maximize"],
  },
  adadelta: { id: 3, buffers: ["squareAvg", "accDelta"], scalars: ["lr", "rho", "oneMinusRho", "eps", "epsInside", "weightDecay", "maximize"] },
  adam: {
    id: 4,
    buffers: ["expAvg", "expAvgSq", "maxExpAvgSq"],
    scalars: ["beta1", "oneMinusBeta1", "beta2", "oneMinusBeta2", "eps", "mode", "weightDecay", "decay", "stepSize", "biasCorrection2",
      "biasCorrection2Sqrt", "amsgrad", "maximize"],
  },
  adamax: { id: 5, buffers: ["expAvg", "expInf"], scalars: ["clr", "beta1", "oneMinusBeta1", "beta2", "eps", "weightDecay", "maximize"] },
  nadam: {
    id: 6,
    buffers: ["expAvg", "expAvgSq"],
    scalars: ["beta1", "oneMinusBeta1", "beta2", "oneMinusBeta2", "eps", "mode", "weightDecay", "decay", "biasCorrection2",
      "biasCorrection2Sqrt", "gradStep", "avgStep", "maximize"],
  },
  radam: {
    id: 7,
    buffers: ["expAvg", "expAvgSq"],
    scalars: ["lr", "beta1", "oneMinusBeta1", "beta2", "oneMinusBeta2", "eps", "mode", "weightDecay", "decay", "biasCorrection1",
      "biasCorrection2", "biasCorrection2Sqrt", "rectified", "rect", "maximize"],
  },
};
KERNEL_TABLE.adamw = KERNEL_TABLE.adam;

/** Pointers of a tensor's state buffers by name (absent ones are 0). */
export type BufferPtrs = Record<string, number>;

export type KernelCall = (p: number, g: number, b: BufferPtrs, n: number, c: Coefficients) => void;

type Bind = (k: Kernels, suffix: "F32" | "F64") => KernelCall;

export const KERNELS: Record<string, Bind> = {
  sgd: (k, s) => {
    const f = k["sgdStep" + s];
    return (p, g, b, n, c) =>
      f(p, g, b.momentumBuffer ?? 0, n, c.lr, c.momentum, c.oneMinusDampening, c.weightDecay, c.nesterov, c.maximize, c.firstMomentumStep);
  },
  adagrad: (k, s) => {
    const f = k["adagradStep" + s];
    return (p, g, b, n, c) => f(p, g, b.sum, n, c.clr, c.weightDecay, c.eps, c.epsInside, c.maximize);
  },
  rmsprop: (k, s) => {
    const f = k["rmspropStep" + s];
    return (p, g, b, n, c) =>
      f(p, g, b.squareAvg, b.momentumBuffer ?? 0, b.gradAvg ?? 0, n, c.lr, c.alpha, c.oneMinusAlpha, c.eps, c.epsInside, c.weightDecay,
        c.momentum, c.centered, c.maximize);
  },
  adadelta: (k, s) => {
    const f = k["adadeltaStep" + s];
    return (p, g, b, n, c) => f(p, g, b.squareAvg, b.accDelta, n, c.lr, c.rho, c.oneMinusRho, c.eps, c.epsInside, c.weightDecay, c.maximize);
  },
  adam: (k, s) => {
    const f = k["adamStep" + s];
    return (p, g, b, n, c) =>
      f(p, g, b.expAvg, b.expAvgSq, b.maxExpAvgSq ?? 0, n, c.beta1, c.oneMinusBeta1, c.beta2, c.oneMinusBeta2, c.eps, c.mode,
        c.weightDecay, c.decay, c.stepSize, c.biasCorrection2, c.biasCorrection2Sqrt, c.amsgrad, c.maximize);
  },
  adamax: (k, s) => {
    const f = k["adamaxStep" + s];
    return (p, g, b, n, c) => f(p, g, b.expAvg, b.expInf, n, c.clr, c.beta1, c.oneMinusBeta1, c.beta2, c.eps, c.weightDecay, c.maximize);
  },
  nadam: (k, s) => {
    const f = k["nadamStep" + s];
    return (p, g, b, n, c) =>
      f(p, g, b.expAvg, b.expAvgSq, n, c.beta1, c.oneMinusBeta1, c.beta2, c.oneMinusBeta2, c.eps, c.mode, c.weightDecay, c.decay,
        c.biasCorrection2, c.biasCorrection2Sqrt, c.gradStep, c.avgStep, c.maximize);
  },
  radam: (k, s) => {
    const f = k["radamStep" + s];
    return (p, g, b, n, c) =>
      f(p, g, b.expAvg, b.expAvgSq, n, c.lr, c.beta1, c.oneMinusBeta1, c.beta2, c.oneMinusBeta2, c.eps, c.mode, c.weightDecay, c.decay,
        c.biasCorrection1, c.biasCorrection2, c.biasCorrection2Sqrt, c.rectified, c.rect, c.maximize);
  },
};
KERNELS.adamw = KERNELS.adam;
