/**
 * Random search: configurations drawn from per-field distributions with a generator of its own seed,
 * so the same spec always draws the same configurations (on any machine: the generator and the
 * order of draws are fixed here, and numbers are rounded to 6 significant digits).
 */

export type Distribution =
  | { field: string; distribution: 'uniform'; min: number; max: number }
  | { field: string; distribution: 'logUniform'; min: number; max: number }
  | { field: string; distribution: 'integer'; min: number; max: number }
  | { field: string; distribution: 'choice'; values: unknown[] };

export const DISTRIBUTIONS = ['uniform', 'logUniform', 'integer', 'choice'] as const;

/** mulberry32: a small, well-mixed 32-bit generator; uniform numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 6 significant digits, kept inside [min, max] (what a rounded draw could leave). */
const round6 = (x: number, min: number, max: number): number => Math.min(max, Math.max(min, Number(x.toPrecision(6))));

/** One draw of a distribution from a uniform number u in [0, 1). */
export function drawValue(d: Distribution, u: number): unknown {
  switch (d.distribution) {
    case 'uniform':
      return round6(d.min + u * (d.max - d.min), d.min, d.max);
    case 'logUniform':
      return round6(Math.exp(Math.log(d.min) + u * (Math.log(d.max) - Math.log(d.min))), d.min, d.max);
    case 'integer':
      return Math.min(d.max, d.min + Math.floor(u * (d.max - d.min + 1)));
    case 'choice':
      return d.values[Math.min(d.values.length - 1, Math.floor(u * d.values.length))];
  }
}

/** How many different values a distribution can give (Infinity for the continuous ones). */
export function distinctValues(d: Distribution): number {
  if (d.distribution === 'integer') return d.max - d.min + 1;
  if (d.distribution === 'choice') return d.values.length;
  return Infinity;
}

/**
 * `trials` different points (field → value), each drawn field by field in the order given. A point
 * drawn before is drawn again (a configuration is run once per repeat); throws when the fields
 * cannot give that many different points (the caller checks that first with distinctValues).
 */
export function samplePoints(distributions: readonly Distribution[], trials: number, seed: number): Record<string, unknown>[] {
  const random = seededRandom(seed);
  const seen = new Set<string>();
  const points: Record<string, unknown>[] = [];
  const budget = trials * 50 + 1000;
  for (let attempt = 0; points.length < trials; attempt++) {
    if (attempt >= budget) throw new Error(`only ${points.length} different configurations were drawn in ${budget} attempts`);
    const point: Record<string, unknown> = {};
    for (const d of distributions) point[d.field] = drawValue(d, random());
    const key = JSON.stringify(point);
    if (seen.has(key)) continue;
    seen.add(key);
    points.push(point);
  }
  return points;
}
