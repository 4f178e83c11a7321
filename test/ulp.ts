// ULP arithmetic for the backend-agreement suites.
const dv = new DataView(new ArrayBuffer(8));

/** The f64 bit pattern as a signed integer ordered like the numbers (−0 and +0 both 0). */
function orderedBits(v: number): bigint {
  dv.setFloat64(0, v);
  const k = dv.getBigInt64(0);
  return k < 0n ? -(k & 0x7fffffffffffffffn) : k;
}

/** Number of f64 values between a and b (0 for equal, Infinity if one is NaN and the other not). */
export function ulpDistance(a: number, b: number): number {
  if (Object.is(a, b) || a === b || (Number.isNaN(a) && Number.isNaN(b))) return 0;
  if (Number.isNaN(a) || Number.isNaN(b)) return Infinity;
  const d = orderedBits(a) - orderedBits(b);
  return Number(d < 0n ? -d : d);
}

/** The spacing of f64 at |s|: nextUp(|s|) − |s| (the smallest subnormal at 0). */
export function ulpOf(s: number): number {
  const a = Math.abs(s);
  if (!Number.isFinite(a)) return NaN;
  dv.setFloat64(0, a);
  dv.setBigUint64(0, dv.getBigUint64(0) + 1n);
  return dv.getFloat64(0) - a;
}
