// Re-exports only: each kernel family lives in its own file.
export { optimizerStepF32, optimizerStepF64, optimizerReduceF32, optimizerReduceF64, kernelRowLength, kernelBufferCount, kernelSumCount, kernelInputCount, kernelPowerCount, kernelLaneInputCount, optimizerCoefficients } from "./generated/dispatch";
export { heapBase } from "./memory";
export { copyF32, triadF32 } from "./bench";
export { fnValueGradF32, fnValueGradF64, fnValueF32, fnValueF64, fnGrid, fnCount, fnParamCount, fnIsNd, fnMinDim, fnPolynomial, fnExprId } from "./fns/index";
export { exprGrid, exprGridWorkBytes } from "./expr/grid";
export { exprOpArity, exprOpCount } from "./expr/ops";
export { runBatchF32, runBatchF64 } from "./run";
export * from "./nn/index";
