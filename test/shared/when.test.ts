import { describe, expect, it } from 'vitest';
import { absoluteTime, formatWhen } from '../../src-shared/when';

describe('formatWhen: relative within a day, one absolute format before', () => {
  const now = new Date(2026, 10, 27, 21, 38, 30).getTime();
  it.each([
    [now + 3000, 'just now'],
    [now - 1000, 'just now'],
    [now - 12_000, '12 s ago'],
    [now - 59_999, '59 s ago'],
    [now - 60_000, '1 min ago'],
    [now - 12 * 60_000, '12 min ago'],
    [now - 3 * 3_600_000 - 5000, '3 h ago'],
    [now - 86_400_000 + 1000, '23 h ago'],
    [now - 86_400_000, '2026-11-26 21:38'],
  ])('%i → %s', (ms, shown) => expect(formatWhen(ms, now)).toBe(shown));
  it('the full time of the tooltip has seconds', () => expect(absoluteTime(now, true)).toBe('2026-11-27 21:38:30'));
});
