// Option sets per optimizer that reach every branch of every kernel (each
// flag on and off, every epsMode, weight decay of each kind). Keyed by the
// registry's names: an optimizer added to the registry without cases here
// fails the typecheck (and test/kernel-layout.test.ts at run time).
import type { OptimizerName } from "../src/optim/index.js";

export const OPTION_CASES: Record<OptimizerName, Record<string, unknown>[]> = {
  sgd: [{ lr: 0.1 }, { lr: 0.05, momentum: 0.9, dampening: 0.3, weightDecay: 0.01 }, { lr: 0.05, momentum: 0.9, nesterov: true, maximize: true }],
  momentum: [{ lr: 0.02 }],
  nesterov: [{ lr: 0.02, weightDecay: 0.1 }],
  adagrad: [{ lr: 0.1 }, { lr: 0.5, eps: 1e-7, epsMode: "inside", lrDecay: 0.1, initialAccumulatorValue: 0.2, weightDecay: 0.05, maximize: true }],
  rmsprop: [
    { lr: 0.01 },
    { lr: 0.01, momentum: 0.8, centered: true, weightDecay: 0.1 },
    { lr: 0.01, eps: 1e-7, epsMode: "inside", alpha: 0.9, maximize: true },
    { lr: 0.01, centered: true },
  ],
  adadelta: [{ lr: 1 }, { lr: 0.5, epsMode: "outside", rho: 0.5, weightDecay: 0.2, maximize: true }],
  adam: [
    { lr: 0.1 },
    { lr: 0.1, amsgrad: true, weightDecay: 0.1 },
    { lr: 0.1, epsMode: "inside", maximize: true },
    { lr: 0.1, epsMode: "hat", eps: 1e-7, betas: [0.9, 0.99] },
  ],
  adamw: [{ lr: 0.1 }, { lr: 0.1, amsgrad: true, weightDecay: 0.3, maximize: true }],
  adamax: [{ lr: 0.1 }, { lr: 0.1, weightDecay: 0.1, maximize: true, betas: [0.5, 0.9] }],
  nadam: [
    { lr: 0.1 },
    { lr: 0.1, weightDecay: 0.1, epsMode: "inside" },
    { lr: 0.1, weightDecay: 0.1, decoupledWeightDecay: true, epsMode: "hat", maximize: true },
  ],
  radam: [
    { lr: 0.1 },
    { lr: 0.1, epsMode: "outside", weightDecay: 0.1, betas: [0.5, 0.9] },
    { lr: 0.1, epsMode: "inside", decoupledWeightDecay: true, weightDecay: 0.1, maximize: true },
  ],
  rprop: [{ lr: 0.1 }, { lr: 0.05, etas: [0.3, 1.5], stepSizes: [0.01, 0.2], maximize: true }],
  asgd: [{ lr: 0.1 }, { lr: 0.05, lambd: 0.01, alpha: 0.5, t0: 3, weightDecay: 0.1, maximize: true }],
  lion: [{ lr: 0.1 }, { lr: 0.05, betas: [0.95, 0.98], weightDecay: 0.5, maximize: true }],
  adopt: [
    { lr: 0.1 },
    { lr: 0.1, clipExponent: null, weightDecay: 0.1 },
    { lr: 0.1, betas: [0.3, 0.99], clipExponent: 0.5, eps: 1e-3, weightDecay: 0.1, decoupledWeightDecay: true, maximize: true },
  ],
  sfsgd: [{ lr: 0.1 }, { lr: 0.05, momentum: 0.5, weightDecay: 0.1, warmupSteps: 5, r: 1, weightLrPower: 1, maximize: true }],
  sfadamw: [
    { lr: 0.1 },
    { lr: 0.05, weightDecay: 0.1, warmupSteps: 4, r: 0.5, weightLrPower: 1, innerMomentum: 0.9 },
    { lr: 0.05, weightDecay: 0.1, decayAtZ: true, betas: [0.8, 0.99], eps: 1e-6, maximize: true },
  ],
  adabelief: [
    { lr: 0.1 },
    { lr: 0.1, rectify: false, amsgrad: true, eps: 1e-8 },
    { lr: 0.1, amsgrad: true, weightDecay: 0.1, maximize: true },
    { lr: 0.05, degenerateToSgd: false, decoupledWeightDecay: false, weightDecay: 0.1 },
    { lr: 0.05, fixedDecay: true, weightDecay: 0.05, rectify: false },
  ],
  adan: [
    { lr: 0.1 },
    { lr: 0.1, weightDecay: 0.1, maximize: true },
    { lr: 0.1, weightDecay: 0.1, noProx: true, betas: [0.9, 0.9, 0.95] },
    { lr: 0.1, maxGradNorm: 1 },
    { lr: 0.1, maxGradNorm: 1e3, eps: 1e-6, maximize: true },
  ],
  prodigy: [
    { lr: 1 },
    { lr: 0.5, weightDecay: 0.1, maximize: true },
    { lr: 1, weightDecay: 0.1, decouple: false, useBiasCorrection: true },
    { lr: 1, betas: [0, 0.99], beta3: 0.9, weightDecay: 0.05, decouple: false, maximize: true },
    { lr: 1, betas: [0, 0.99], weightDecay: 0.1 },
    { lr: 1, safeguardWarmup: true, d0: 0.05, growthRate: 1.2, dCoef: 0.5 },
    { lr: 0 },
  ],
  lbfgs: [
    { lr: 1 },
    { lr: 0.5, maxIter: 4, historySize: 2 },
    { lineSearchFn: "strongWolfe", maxIter: 5, historySize: 3 },
    { lineSearchFn: "strongWolfe", maxIter: 2, maximize: true },
    { lr: 0.2, maxIter: 6, maxEval: 4, toleranceGrad: 1e-3, toleranceChange: 1e-4 },
  ],
};
