/**
 * Filling elements from lists in a loop: `el.append(...nodes)` passes every
 * node as an argument, which overflows the stack for long lists (the package
 * spreads no array; test/limits.test.ts checks it).
 */

/** Appends `nodes` to `parent`, after clearing it when `replace`. */
export function fill(parent: ParentNode, nodes: Iterable<Node | string>, replace = true): void {
  if (replace) parent.replaceChildren();
  for (const n of nodes) parent.append(n);
}
