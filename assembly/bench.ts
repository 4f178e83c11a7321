// The memory-bandwidth ceiling the optimizer kernels are compared with:
// STREAM-style copy and triad over f32x4. Bytes per element are counted as
// STREAM does (copy 8, triad 12 for f32; write-allocate traffic not counted).

/** dst[i] = src[i] for n f32 (n a multiple of 4, 16-byte aligned arrays). */
export function copyF32(dst: usize, src: usize, n: i32): void {
  const end = src + (<usize>n << 2);
  for (let s = src, d = dst; s < end; s += 16, d += 16) v128.store(d, v128.load(s));
}

/** a[i] = b[i] + s·c[i] for n f32 (n a multiple of 4, 16-byte aligned arrays). */
export function triadF32(a: usize, b: usize, c: usize, n: i32, s: f64): void {
  const vs = f32x4.splat(<f32>s);
  const end = <usize>n << 2;
  for (let o: usize = 0; o < end; o += 16) v128.store(a + o, f32x4.add(v128.load(b + o), f32x4.mul(vs, v128.load(c + o))));
}
