// Re-exports only: each kernel family lives in its own file.
export { sgdStepF32, sgdStepF64 } from "./optim/sgd";
export { adagradStepF32, adagradStepF64 } from "./optim/adagrad";
export { rmspropStepF32, rmspropStepF64 } from "./optim/rmsprop";
export { adadeltaStepF32, adadeltaStepF64 } from "./optim/adadelta";
export { adamStepF32, adamStepF64 } from "./optim/adam";
export { adamaxStepF32, adamaxStepF64 } from "./optim/adamax";
export { nadamStepF32, nadamStepF64 } from "./optim/nadam";
export { radamStepF32, radamStepF64 } from "./optim/radam";
export { heapBase } from "./memory";
export { copyF32, triadF32 } from "./bench";
export { fnValueGradF32, fnValueGradF64, fnValueF32, fnValueF64, fnGrid, fnCount, fnParamCount, fnIsNd, fnMinDim, fnPolynomial } from "./fns/index";
export { runBatchF32, runBatchF64 } from "./run";
export * from "./nn/index";
