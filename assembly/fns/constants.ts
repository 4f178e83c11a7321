// The constants of src/functions/constants.ts, by the same expressions (each
// folds at compile time to the same f64 bits as in JavaScript).

/** 2π = `2 * Math.PI` (exact doubling of the double π). */
export const TWO_PI: f64 = 2 * Math.PI;
/** 3π = `3 * Math.PI` (one rounding). */
export const THREE_PI: f64 = 3 * Math.PI;
/** 4π = `4 * Math.PI` (exact). */
export const FOUR_PI: f64 = 4 * Math.PI;
/** 6π = `6 * Math.PI` (one rounding). */
export const SIX_PI: f64 = 6 * Math.PI;
/** 1/3 = `1 / 3`. */
export const ONE_THIRD: f64 = 1.0 / 3.0;
/** 1/6 = `1 / 6`. */
export const ONE_SIXTH: f64 = 1.0 / 6.0;
