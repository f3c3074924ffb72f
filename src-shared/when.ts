const pad = (n: number): string => String(n).padStart(2, '0');

/** `2026-11-27 21:38` in local time (with `:05` seconds when asked): the one absolute date format. */
export function absoluteTime(ms: number, seconds = false): string {
  const d = new Date(ms);
  const day = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return `${day} ${pad(d.getHours())}:${pad(d.getMinutes())}${seconds ? `:${pad(d.getSeconds())}` : ''}`;
}

/**
 * A moment as the UI shows it: relative within the last day ("12 s ago", "12 min ago", "3 h ago"),
 * `2026-11-27 21:38` before that. A moment slightly ahead of `now` (another machine's clock) is "just now".
 */
export function formatWhen(ms: number, now: number): string {
  const s = Math.floor((now - ms) / 1000);
  if (s < 2) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return absoluteTime(ms);
}
