/**
 * How each algorithm's coefficients (from the shared TypeScript coefficient
 * function) map onto its kernel's arguments. The argument order is the
 * kernel's signature in assembly/optim/*.ts.
 */
import type { Coefficients } from "../src/optim/def.js";
import type { Kernels } from "./module.js";

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
