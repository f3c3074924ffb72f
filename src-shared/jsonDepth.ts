/**
 * How deeply a payload may nest. The deepest legitimate one (a sweep spec: spec → axes → axis →
 * values → a hidden list) nests 5 levels; JSON.parse accepts any depth, but code that walks a value
 * recursively (validation, JSON.stringify) overflows the stack around ten thousand.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * The nesting depth of a parsed JSON value (a scalar is 0, `[]` and `{}` are 1), counted without
 * recursion so any depth is safe to measure; stops at `limit + 1` once the value is known to be
 * deeper than `limit`.
 */
export function jsonDepth(value: unknown, limit = Infinity): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** A sentence saying that `what` nests too deeply, or null when it is within MAX_JSON_DEPTH. */
export function nestingProblem(value: unknown, what: string): string | null {
  return jsonDepth(value, MAX_JSON_DEPTH) > MAX_JSON_DEPTH ? `${what} nests more than ${MAX_JSON_DEPTH} levels deep; no valid input nests more than a few` : null;
}
