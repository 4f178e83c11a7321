// One optimizer step chosen by id, its scalars read from a coefficient row
// (f64s in the order of the kernel's parameters; the table is KERNEL_TABLE in
// bindings/kernels.ts). Used by the run engine, which never returns to JS
// between steps.
import { adadeltaStep } from "./adadelta";
import { adagradStep } from "./adagrad";
import { adamStep } from "./adam";
import { adamaxStep } from "./adamax";
import { nadamStep } from "./nadam";
import { radamStep } from "./radam";
import { rmspropStep } from "./rmsprop";
import { sgdStep } from "./sgd";

export const OPT_SGD = 0;
export const OPT_ADAGRAD = 1;
export const OPT_RMSPROP = 2;
export const OPT_ADADELTA = 3;
export const OPT_ADAM = 4;
export const OPT_ADAMAX = 5;
export const OPT_NADAM = 6;
export const OPT_RADAM = 7;

/** Scalar k of the row at c. */
// @ts-ignore: decorator
@inline function s(c: usize, k: i32): f64 { return load<f64>(c + (<usize>k << 3)); }
/** Flag k of the row at c. */
// @ts-ignore: decorator
@inline function f(c: usize, k: i32): i32 { return <i32>load<f64>(c + (<usize>k << 3)); }

/** Buffers b0, b1, b2 in the order of KERNEL_TABLE[algorithm].buffers (0 when absent). */
export function optimizerStep<T>(id: i32, p: usize, g: usize, b0: usize, b1: usize, b2: usize, n: i32, c: usize): void {
  switch (id) {
    case OPT_SGD: sgdStep<T>(p, g, b0, n, s(c, 0), s(c, 1), s(c, 2), s(c, 3), f(c, 4), f(c, 5), f(c, 6)); break;
    case OPT_ADAGRAD: adagradStep<T>(p, g, b0, n, s(c, 0), s(c, 1), s(c, 2), f(c, 3), f(c, 4)); break;
    case OPT_RMSPROP: rmspropStep<T>(p, g, b0, b1, b2, n, s(c, 0), s(c, 1), s(c, 2), s(c, 3), f(c, 4), s(c, 5), s(c, 6), f(c, 7), f(c, 8)); break;
    case OPT_ADADELTA: adadeltaStep<T>(p, g, b0, b1, n, s(c, 0), s(c, 1), s(c, 2), s(c, 3), f(c, 4), s(c, 5), f(c, 6)); break;
    case OPT_ADAM: adamStep<T>(p, g, b0, b1, b2, n, s(c, 0), s(c, 1), s(c, 2), s(c, 3), s(c, 4), f(c, 5), s(c, 6), s(c, 7), s(c, 8), s(c, 9), s(c, 10), f(c, 11), f(c, 12)); break;
    case OPT_ADAMAX: adamaxStep<T>(p, g, b0, b1, n, s(c, 0), s(c, 1), s(c, 2), s(c, 3), s(c, 4), s(c, 5), f(c, 6)); break;
    case OPT_NADAM: nadamStep<T>(p, g, b0, b1, n, s(c, 0), s(c, 1), s(c, 2), s(c, 3), s(c, 4), f(c, 5), s(c, 6), s(c, 7), s(c, 8), s(c, 9), s(c, 10), s(c, 11), f(c, 12)); break;
    case OPT_RADAM: radamStep<T>(p, g, b0, b1, n, s(c, 0), s(c, 1), s(c, 2), s(c, 3), s(c, 4), s(c, 5), f(c, 6), s(c, 7), s(c, 8), s(c, 9), s(c, 10), s(c, 11), f(c, 12), s(c, 13), f(c, 14)); break;
    default: unreachable();
  }
}
