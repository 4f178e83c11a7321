/**
 * TensorFlow.js optimizers as a point of comparison, loaded offline from
 * node_modules: tfjs-core with the cpu backend and the wasm backend (its
 * .wasm files are read from the installed package, never fetched), in
 * production mode (`enableProdMode`: no per-kernel leak checks).
 */
import { createRequire, register } from "node:module";
import { dirname } from "node:path";
import { pathToFileURL } from "node:url";

type Tf = typeof import("@tensorflow/tfjs-core");

let tfPromise: Promise<Tf> | undefined;

/** tfjs-core with both backends registered; the wasm binaries come from node_modules. */
export function loadTf(): Promise<Tf> {
  return (tfPromise ??= (async () => {
    // tfjs prints an advert for tfjs-node on first use in Node; keep the bench output clean.
    const log = console.log,
      warn = console.warn;
    console.log = () => {};
    console.warn = () => {};
    try {
      const tf = await import("@tensorflow/tfjs-core");
      // Production mode: no leak checks around every kernel, and no advert for tfjs-node on the cpu backend's first tensor.
      tf.enableProdMode();
      await import("@tensorflow/tfjs-backend-cpu");
      const wasm = await import("@tensorflow/tfjs-backend-wasm");
      const require = createRequire(import.meta.url);
      wasm.setWasmPaths(dirname(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm")) + "/");
      await tf.setBackend("cpu");
      await tf.ready();
      return tf;
    } finally {
      console.log = log;
      console.warn = warn;
    }
  })());
}

let gradientsPromise: Promise<Tf> | undefined;

/**
 * tfjs-core with its gradients registered, for training steps. The package's
 * Node entry (a CommonJS bundle) has no gradients: the union package
 * `@tensorflow/tfjs` registers them by importing tfjs-core's ES-module
 * `register_all_gradients.js`, whose extensionless imports Node's ESM loader
 * refuses. bench/tfjsResolve.ts adds the extensions, so that file loads
 * straight from node_modules (no bundling, no download). Its gradients land
 * in the same registry as the bundle's kernels: tfjs keeps the engine and the
 * registries in one global namespace, and its Tensor class recognises tensors
 * of another copy (`Symbol.hasInstance`), so the two copies work as one.
 */
export function loadTfWithGradients(): Promise<Tf> {
  return (gradientsPromise ??= (async () => {
    const tf = await loadTf();
    register(new URL("./tfjsResolve.js", import.meta.url));
    const require = createRequire(import.meta.url);
    const core = require.resolve("@tensorflow/tfjs-core");
    await import(pathToFileURL(dirname(core) + "/register_all_gradients.js").href);
    return tf;
  })());
}

/** The optimlab names TF.js has, with TF.js constructors at matching hyperparameters. */
/** What the benchmark needs of a TF.js optimizer. */
type TfOptimizer =
  | ReturnType<Tf["train"]["adam"]>
  | ReturnType<Tf["train"]["sgd"]>
  | ReturnType<Tf["train"]["momentum"]>
  | ReturnType<Tf["train"]["adagrad"]>
  | ReturnType<Tf["train"]["adadelta"]>
  | ReturnType<Tf["train"]["adamax"]>
  | ReturnType<Tf["train"]["rmsprop"]>;

export const TF_OPTIMIZERS: Record<string, (tf: Tf) => TfOptimizer> = {
  sgd: (tf) => tf.train.sgd(1e-3),
  momentum: (tf) => tf.train.momentum(1e-3, 0.9),
  // TF.js starts the accumulator at 0.1 (torch at 0): the cost per step is the same.
  adagrad: (tf) => tf.train.adagrad(1e-2, 0.1),
  adadelta: (tf) => tf.train.adadelta(1, 0.9, 1e-6),
  adam: (tf) => tf.train.adam(1e-3, 0.9, 0.999, 1e-8),
  adamax: (tf) => tf.train.adamax(2e-3, 0.9, 0.999, 1e-8, 0),
  rmsprop: (tf) => tf.train.rmsprop(1e-2, 0.99, 0, 1e-8),
};

/** One TF.js optimizer step on n f32 elements with a fixed gradient; returns `step` and `dispose`. */
export async function tfStepper(backend: "cpu" | "wasm", name: string, n: number): Promise<{ step(): void; dispose(): void }> {
  const tf = await loadTf();
  await tf.setBackend(backend);
  await tf.ready();
  const x = tf.variable(tf.randomUniform([n], -1, 1, "float32"));
  const g = tf.randomUniform([n], -1, 1, "float32");
  const opt = TF_OPTIMIZERS[name](tf);
  const grads = [{ name: x.name, tensor: g }];
  return {
    step: () => opt.applyGradients(grads),
    dispose: () => {
      opt.dispose();
      x.dispose();
      g.dispose();
    },
  };
}
