/** Sweeps larger than this are refused (a typo in a log-range should not queue a million runs). */
export const MAX_SWEEP_RUNS = 10_000;
/** The most values one axis (or one choice distribution) may take. */
export const MAX_AXIS_VALUES = 1000;
