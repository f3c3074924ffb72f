import { NATIVE_LEVELS, nativeStatus, type NativeLevel } from '../../src-main/engine/native/nativeAddon';
import { NativeBackend } from '../../src-main/engine/native/nativeBackend';

/**
 * The dispatch levels this machine runs (a level the CPU lacks falls back to a lower one, so it is
 * reachable only when the backend reports it). Empty, with the reason printed, when the addon is not
 * built: the native tests are then skipped, never passed.
 */
export function reachableLevels(): NativeLevel[] {
  const status = nativeStatus();
  if (!status.available) {
    console.warn(`native kernel tests skipped: ${status.reason}`);
    return [];
  }
  return NATIVE_LEVELS.filter((level) => new NativeBackend(level).kind === `native-${level}`);
}
