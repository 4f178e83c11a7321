// Compile-time checks of the typed options (npm test typechecks test/): each
// `@ts-expect-error` line must fail to compile, or the typecheck fails.
import { createBackend } from "../../bindings/index.js";
import { createOptimizer, type OptionsOf } from "../../src/optim/index.js";

const params = [{ data: new Float64Array(2), grad: new Float64Array(2) }];

createOptimizer("adam", params, { lr: 0.1, betas: [0.9, 0.99], amsgrad: true, epsMode: "hat" });
createOptimizer("momentum", params, { lr: 0.1, nesterov: true });
createOptimizer("adan", params, { betas: [0.98, 0.92, 0.99], maxGradNorm: 1 });
createOptimizer("lbfgs", params, { lineSearchFn: "strongWolfe", maxEval: null });
// @ts-expect-error lr is a number, not a string
createOptimizer("adam", params, { lr: "0.1" });
// @ts-expect-error an unknown option
createOptimizer("adam", params, { lrr: 0.1 });
// @ts-expect-error momentum is not an option of adam
createOptimizer("adam", params, { momentum: 0.9 });
// @ts-expect-error epsMode takes only its values
createOptimizer("adam", params, { epsMode: "everywhere" });
// @ts-expect-error rprop's etas are a pair
createOptimizer("rprop", params, { etas: 1.2 });

export async function onTheBackend(): Promise<void> {
  const b = await createBackend("js");
  const p = b.paramZeros("f32", 4);
  b.createOptimizer("nadam", [p], { momentumDecay: 4e-3 });
  // @ts-expect-error a backend's optimizers are typed too
  b.createOptimizer("nadam", [p], { lr: true });
}

export const adamOptions: OptionsOf<"adam"> = { lr: 1e-3 };
