/**
 * A Node module-resolution hook (registered by bench/tfjs.ts with
 * `module.register`, Node ≥ 20.6) that lets tfjs-core's ES-module build load
 * in Node: its files import each other without extensions (`'./ops/abs'`),
 * which bundlers accept and Node's ESM loader does not. Only relative
 * specifiers inside @tensorflow/tfjs-core/dist are touched: `x` becomes
 * `x.js`, or `x/index.js` for a folder.
 */
type Next = (specifier: string, context: { parentURL?: string }) => Promise<{ url: string }>;

export async function resolve(specifier: string, context: { parentURL?: string }, next: Next): Promise<{ url: string }> {
  const relative = specifier.startsWith("./") || specifier.startsWith("../");
  if (relative && !/\.[cm]?js$/.test(specifier) && context.parentURL?.includes("/@tensorflow/tfjs-core/dist/")) {
    try {
      return await next(`${specifier}.js`, context);
    } catch {
      return next(`${specifier}/index.js`, context);
    }
  }
  return next(specifier, context);
}
