/**
 * Constants shared by the test-function kernels. Each is one f64 computed by
 * the expression shown (a kernel port must use the same expression or the
 * same bits, not a differently rounded literal).
 */

/** 2π = `2 * Math.PI` (exact doubling of the double π). */
export const TWO_PI = 2 * Math.PI;
/** 3π = `3 * Math.PI` (one rounding). */
export const THREE_PI = 3 * Math.PI;
/** 4π = `4 * Math.PI` (exact). */
export const FOUR_PI = 4 * Math.PI;
/** 6π = `6 * Math.PI` (one rounding; equals `2 * THREE_PI`). */
export const SIX_PI = 6 * Math.PI;
/** 1/3 = `1 / 3`, used as a multiplier so polynomial kernels need no division. */
export const ONE_THIRD = 1 / 3;
/** 1/6 = `1 / 6`. */
export const ONE_SIXTH = 1 / 6;
