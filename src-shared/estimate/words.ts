import { plural } from '../format';

/**
 * A duration as an estimate reads: "under a minute", "about 7 min", "about 1 h 40 min", "about 3 d 4 h",
 * rounded more the longer it is (a 1 h 43 min guess is not that precise).
 */
export function aboutDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return 'unknown';
  if (seconds < 60) return 'under a minute';
  const minutes = seconds / 60;
  const step = minutes < 10 ? 1 : minutes < 60 ? 5 : minutes < 600 ? 10 : 60;
  const m = Math.max(1, Math.round(minutes / step) * step);
  if (m < 60) return `about ${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `about ${h} h${m % 60 ? ` ${m % 60} min` : ''}`;
  const d = Math.floor(h / 24);
  return `about ${d} d${h % 24 ? ` ${h % 24} h` : ''}`;
}

/** "about 1 h 40 min on 2 workers". */
export function estimateText(seconds: number, workers: number): string {
  return `${aboutDuration(seconds)} on ${plural(workers, 'worker')}`;
}

/** A threshold in hours as the setting reads: "2 h", "30 min". */
export function hoursText(hours: number): string {
  return hours < 1 ? `${Math.round(hours * 60)} min` : `${Number(hours.toFixed(2))} h`;
}
