// Lane-order sums of the reduce phase (src/optim/def.ts, OptimizerDef.reduce):
// four partial sums pₖ of the terms with element index i ≡ k (mod 4), in
// increasing i, held as two f64x2 accumulators A = (p₀, p₁) and B = (p₂, p₃)
// over blocks of four elements; the tail (fewer than four) goes scalar into the
// pₖ its index names; the tensor's sum is (p₀ + p₂) + (p₁ + p₃). Terms are
// formed in f64 from elements widened exactly (f32 → f64).

/** Elements i, i + 1 of the T array at p, as f64x2 (f32 widened exactly). */
// @ts-ignore: decorator
@inline export function ld2<T>(p: usize, i: i32): v128 {
  if (sizeof<T>() == 4) return f64x2.promote_low_f32x4(v128.load64_zero(p + (<usize>i << 2)));
  return v128.load(p + (<usize>i << 3));
}

/** Element i of the T array at p, widened to f64. */
// @ts-ignore: decorator
@inline export function ldf<T>(p: usize, i: i32): f64 {
  return sizeof<T>() == 4 ? <f64>load<f32>(p + (<usize>i << 2)) : load<f64>(p + (<usize>i << 3));
}

/** (p₀ + p₂) + (p₁ + p₃). */
// @ts-ignore: decorator
@inline export function combine(p0: f64, p1: f64, p2: f64, p3: f64): f64 {
  return (p0 + p2) + (p1 + p3);
}
