// Linear memory above __heap_base belongs to the JS-side arena in
// bindings/arena.ts; kernels never allocate.

/** First byte the arena may use. */
export function heapBase(): usize { return __heap_base; }
