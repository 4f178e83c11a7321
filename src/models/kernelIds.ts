// The ids by which the network kernels name activations, losses and math
// functions. Read by both the TypeScript reference and the AssemblyScript
// kernels (assembly/nn/), so each id is written once: plain `export const`
// integer literals only.

/** Hidden activations (model.activation). */
export const ACT_TANH = 0;
export const ACT_RELU = 1;
export const ACT_SIGMOID = 2;
export const ACT_GELU = 3;

/** Losses (spec.loss). */
export const LOSS_MSE = 0;
export const LOSS_BCE = 1;
export const LOSS_CE = 2;

/** Math functions of the nnMath test kernel. */
export const MATH_EXP = 0;
export const MATH_EXPM1 = 1;
export const MATH_LOG = 2;
export const MATH_LOG1P = 3;
export const MATH_TANH = 4;
export const MATH_ERF = 5;
export const MATH_SIGMOID = 6;
