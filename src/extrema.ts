/**
 * Largest and smallest of an array with loops: `Math.max(...a)` passes every
 * element as an argument and overflows the call stack from about 10⁵
 * elements, and many arrays here are as long as the user asks.
 * Same results as `Math.max`/`Math.min`: NaN if any element is NaN,
 * -Infinity / Infinity for an empty array.
 */

/** The largest element (of `f(element)` when given). */
export function maxOf<T = number>(a: ArrayLike<T>, f?: (v: T) => number): number {
  let m = -Infinity;
  for (let i = 0; i < a.length; i++) {
    const v = f ? f(a[i]) : (a[i] as unknown as number);
    if (v > m || Number.isNaN(v)) m = v;
    if (Number.isNaN(m)) return NaN;
  }
  return m;
}

/** The smallest element (of `f(element)` when given). */
export function minOf<T = number>(a: ArrayLike<T>, f?: (v: T) => number): number {
  let m = Infinity;
  for (let i = 0; i < a.length; i++) {
    const v = f ? f(a[i]) : (a[i] as unknown as number);
    if (v < m || Number.isNaN(v)) m = v;
    if (Number.isNaN(m)) return NaN;
  }
  return m;
}
