/**
 * Statistics of repeated runs: mean, sample standard deviation (n − 1), standard error, 95 %
 * confidence intervals from Student's t, and Welch's test of two groups. Shared by the Compare view,
 * the CLI and exports, so every number the app shows is computed once, here. Undefined quantities
 * (the spread of one run) are NaN, never 0.
 */

export interface Summary {
  n: number;
  mean: number;
  std: number;
  se: number;
  ciLow: number;
  ciHigh: number;
  min: number;
  max: number;
}

/** ln Γ(x), Lanczos approximation (relative error < 1e-14 for x > 0). */
function logGamma(x: number): number {
  const g = 7;
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** Regularized incomplete beta I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaFraction(a, b, x)) / a : 1 - (front * betaFraction(b, a, 1 - x)) / b;
}

/** P(T ≤ t) for Student's t with df degrees of freedom (df may be fractional, as in Welch). */
export function studentCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** Quantiles already computed, by p and df: a comparison asks for the same few thousands of times. */
const quantiles = new Map<string, number>();

/** The t with P(T ≤ t) = p, by bisection on the CDF (p in (0, 1)). */
export function studentQuantile(p: number, df: number): number {
  if (!(df > 0) || !(p > 0 && p < 1)) return NaN;
  const key = `${p} ${df}`;
  const known = quantiles.get(key);
  if (known !== undefined) return known;
  const t = bisectQuantile(p, df);
  if (quantiles.size < 10_000) quantiles.set(key, t);
  return t;
}

function bisectQuantile(p: number, df: number): number {
  let lo = -1e6;
  let hi = 1e6;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (studentCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * What a summary is computed from, and what two sets of values combine by without their values
 * (so SQL can aggregate per config and the app merge groups): count, mean, the sum of squared
 * deviations from the mean (m2), min and max, of the finite values. An empty set has NaN mean.
 */
export interface Moments {
  n: number;
  mean: number;
  m2: number;
  min: number;
  max: number;
}

/**
 * The mean of values whose sum is `sum`: exactly the value when all are equal. A rounded mean of
 * equal values can miss them by an ulp ((0.1 + 0.1 + 0.1) / 3 = 0.10000000000000002), which then
 * reads as a spread of 1.7e-17 where there is none.
 */
function meanOf(sum: number, n: number, min: number, max: number): number {
  return min === max ? min : sum / n;
}

/** Moments of the finite values (NaN and ±Infinity are left out, as in summarize). */
export function momentsOf(values: readonly number[]): Moments {
  const v = values.filter(Number.isFinite);
  const n = v.length;
  if (!n) return { n: 0, mean: NaN, m2: 0, min: NaN, max: NaN };
  let [sum, min, max] = [0, v[0], v[0]];
  for (const x of v) {
    sum += x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const mean = meanOf(sum, n, min, max);
  return { n, mean, m2: v.reduce((s, x) => s + (x - mean) ** 2, 0), min, max };
}

/** The moments of two sets together (Chan, Golub and LeVeque's pairwise update). */
export function mergeMoments(a: Moments, b: Moments): Moments {
  if (!a.n) return b;
  if (!b.n) return a;
  const n = a.n + b.n;
  const [min, max] = [Math.min(a.min, b.min), Math.max(a.max, b.max)];
  if (min === max) return { n, mean: min, m2: 0, min, max };
  const delta = b.mean - a.mean;
  return { n, mean: a.mean + (delta * b.n) / n, m2: a.m2 + b.m2 + (delta * delta * a.n * b.n) / n, min, max };
}

/** Mean, sample std, SE, t-based 95 % CI, min and max from moments. */
export function summaryOf(m: Moments): Summary {
  const { n, mean } = m;
  const std = n > 1 ? Math.sqrt(m.m2 / (n - 1)) : NaN;
  const se = std / Math.sqrt(n);
  const t = n > 1 ? studentQuantile(0.975, n - 1) : NaN;
  return { n, mean, std, se, ciLow: mean - t * se, ciHigh: mean + t * se, min: n ? m.min : NaN, max: n ? m.max : NaN };
}

/** Summary of the finite values (NaN and ±Infinity are not averaged in; count them separately). */
export function summarize(values: readonly number[]): Summary {
  return summaryOf(momentsOf(values));
}

export interface Welch {
  difference: number;
  se: number;
  df: number;
  t: number;
  /** Two-sided p-value. */
  p: number;
  ciLow: number;
  ciHigh: number;
}

/** Welch's unequal-variance t-test of mean(a) − mean(b), with its 95 % CI. */
export function welch(a: readonly number[], b: readonly number[]): Welch {
  const x = summarize(a);
  const y = summarize(b);
  const va = (x.std * x.std) / x.n;
  const vb = (y.std * y.std) / y.n;
  const se = Math.sqrt(va + vb);
  const df = (va + vb) ** 2 / (va ** 2 / (x.n - 1) + vb ** 2 / (y.n - 1));
  const difference = x.mean - y.mean;
  const t = difference / se;
  const p = 2 * (1 - studentCdf(Math.abs(t), df));
  const q = studentQuantile(0.975, df);
  return { difference, se, df, t, p, ciLow: difference - q * se, ciHigh: difference + q * se };
}
