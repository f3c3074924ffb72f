/**
 * How many series stay distinguishable (ui.md): up to 10 in the palette's colours, up to 30 with
 * line styles as well, beyond that the top N by their final value in colour and the rest grey.
 * One rule for the app's charts and the exported files.
 */

/** Tableau 10: colours assigned by series order, stable for a given set of series. */
export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
/** Line styles after the palette's colours are used up (SVG stroke-dasharray; '' is solid). */
export const DASHES = ['', '7 4', '2 3'];
/** The colour of series that are not highlighted. */
export const MUTED = '#b4b4b4';
/** Up to this many series are told apart by colour and line style alone. */
export const STYLED_LIMIT = PALETTE.length * DASHES.length;
/** How many series are highlighted when there are too many to tell apart and the user chose nothing. */
export const AUTO_TOP = 10;

export interface SeriesStyle {
  /** Its own colour (also what a muted series shows when it is pointed at). */
  color: string;
  /** stroke-dasharray, or '' for a solid line. */
  dash: string;
  /** Drawn thin and grey, beneath the others. */
  muted: boolean;
  /** 1 for the best final value among the series, 2 for the next…; null without one. */
  rank: number | null;
}

/** 'auto': colours and styles up to STYLED_LIMIT series, then the top AUTO_TOP; 0: every series styled, none muted. */
export type Highlight = 'auto' | number;

/**
 * Styles for series in their order, given each one's final value (NaN: none, ranked last). With a
 * top N, the N best keep palette colours in series order and solid lines; the rest are muted.
 */
export function seriesStyles(finals: readonly number[], higherIsBetter: boolean, highlight: Highlight = 'auto'): SeriesStyle[] {
  const order = finals
    .map((v, i) => ({ v, i }))
    .sort((a, b) => {
      const [x, y] = [Number.isFinite(a.v), Number.isFinite(b.v)];
      if (x !== y) return x ? -1 : 1;
      return (x ? (higherIsBetter ? b.v - a.v : a.v - b.v) : 0) || a.i - b.i;
    });
  const rank = new Map(order.map((o, r) => [o.i, Number.isFinite(o.v) ? r + 1 : null]));
  const top = highlight === 'auto' ? (finals.length > STYLED_LIMIT ? AUTO_TOP : 0) : highlight;
  if (!(top > 0) || top >= finals.length) {
    return finals.map((_, i) => ({ color: PALETTE[i % PALETTE.length], dash: DASHES[Math.floor(i / PALETTE.length) % DASHES.length], muted: false, rank: rank.get(i) ?? null }));
  }
  const chosen = new Set(order.slice(0, top).map((o) => o.i));
  let next = 0;
  return finals.map((_, i) => {
    const highlighted = chosen.has(i);
    const slot = highlighted ? next++ : i;
    return { color: PALETTE[slot % PALETTE.length], dash: highlighted ? DASHES[Math.floor(slot / PALETTE.length) % DASHES.length] : '', muted: !highlighted, rank: rank.get(i) ?? null };
  });
}
