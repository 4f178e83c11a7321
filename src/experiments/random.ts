/**
 * The experiments' seeded random numbers: Mulberry32 (Tommy Ettinger's
 * 32-bit generator, the usual small PRNG of JavaScript demos) for uniforms
 * and the Box–Muller transform for normals. Plain arithmetic only, so the
 * same seed gives the same numbers in Node and in a browser.
 *
 * @packageDocumentation
 */

/** Seed used by every experiment when none is given. */
export const DEFAULT_SEED = 42;

/** A seeded stream of random numbers. */
export interface Rng {
  /** The seed the stream started from (an unsigned 32-bit integer). */
  readonly seed: number;
  /** Uniform on [0, 1), a multiple of 2⁻³². */
  uniform(): number;
  /** Uniform on [lo, hi). */
  uniformIn(lo: number, hi: number): number;
  /** Standard normal N(0, 1) by Box–Muller (both values of each pair are used, cosine first). */
  normal(): number;
}

/**
 * Mulberry32: the state advances by the constant 0x6D2B79F5 (a Weyl
 * sequence) and is mixed by two multiply-xorshift rounds. Period 2³².
 * Returns the next uniform on [0, 1).
 */
export function mulberry32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Checks a seed: an integer in [0, 2³²). */
export function checkSeed(seed: unknown): number {
  if (typeof seed !== "number" || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`seed: must be an integer in [0, 2^32); got ${String(seed)}`);
  }
  return seed;
}

/**
 * A seeded stream. Normals use Box–Muller on two uniforms u₁, u₂:
 * r = √(−2 ln(1 − u₁)), z₀ = r·cos(2πu₂), z₁ = r·sin(2πu₂)
 * (1 − u₁ lies in (0, 1], so the logarithm is finite); z₀ is returned
 * first and z₁ on the next call.
 */
export function createRng(seed: number = DEFAULT_SEED): Rng {
  const s = checkSeed(seed);
  const next = mulberry32(s);
  let spare: number | undefined;
  return {
    seed: s,
    uniform: next,
    uniformIn: (lo, hi) => lo + (hi - lo) * next(),
    normal() {
      if (spare !== undefined) {
        const z = spare;
        spare = undefined;
        return z;
      }
      const u1 = next();
      const u2 = next();
      const r = Math.sqrt(-2 * Math.log(1 - u1));
      spare = r * Math.sin(2 * Math.PI * u2);
      return r * Math.cos(2 * Math.PI * u2);
    },
  };
}
