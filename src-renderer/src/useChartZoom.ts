import { ref, type Ref } from 'vue';

/** The plot area relative to the wrapper (px), and the epochs at its left and right edges. */
interface Frame { left: number; width: number; top: number; height: number; x0: number; x1: number }

/** Where the pointer is over the plot: the nearest epoch, its x, the pointer, and the plot's top and height (px). */
export interface ChartHover { epoch: number; x: number; px: number; py: number; top: number; height: number }
/** A drag across the plot: from and to (px), the plot's top and height. */
export interface ChartDrag { from: number; to: number; top: number; height: number }

/**
 * Pointing and dragging over a drawn SVG chart: the epoch under the pointer (for a tooltip) and
 * drag-to-zoom to an epoch range. Screen geometry is read from the SVG's plot rectangle
 * (`rect.plot`) inside `wrap`; `domain` gives the epochs at its edges, `epochs` the first and last
 * epoch there is. A click, or a drag within one epoch, is not a zoom; a drag over everything resets it.
 */
export function useChartZoom(
  wrap: Ref<HTMLElement | null>,
  domain: () => [number, number],
  epochs: () => [number, number],
  zoom: Ref<[number, number] | null>,
) {
  const hover = ref<ChartHover | null>(null);
  const drag = ref<ChartDrag | null>(null);

  function frame(): Frame | null {
    const rect = wrap.value?.querySelector('svg rect.plot');
    if (!wrap.value || !rect) return null;
    const [w, r] = [wrap.value.getBoundingClientRect(), rect.getBoundingClientRect()];
    const [x0, x1] = domain();
    return { left: r.left - w.left, width: r.width, top: r.top - w.top, height: r.height, x0, x1 };
  }
  const epochAt = (f: Frame, px: number): number => f.x0 + ((px - f.left) / f.width) * (f.x1 - f.x0);
  const pxAt = (f: Frame, epoch: number): number => f.left + ((epoch - f.x0) / (f.x1 - f.x0)) * f.width;
  const clampEpoch = (e: number): number => Math.min(zoom.value?.[1] ?? epochs()[1], Math.max(zoom.value?.[0] ?? epochs()[0], Math.round(e)));

  function local(ev: PointerEvent): { x: number; y: number } {
    const w = wrap.value!.getBoundingClientRect();
    return { x: ev.clientX - w.left, y: ev.clientY - w.top };
  }
  function onMove(ev: PointerEvent): void {
    const f = frame();
    if (!f) return;
    const { x, y } = local(ev);
    if (drag.value) drag.value.to = Math.min(f.left + f.width, Math.max(f.left, x));
    const inside = x >= f.left - 4 && x <= f.left + f.width + 4 && y >= f.top && y <= f.top + f.height;
    if (!inside) {
      hover.value = null;
      return;
    }
    const epoch = clampEpoch(epochAt(f, x));
    hover.value = { epoch, x: pxAt(f, epoch), px: x, py: y, top: f.top, height: f.height };
  }
  function onDown(ev: PointerEvent): void {
    const f = frame();
    if (!f || ev.button !== 0) return;
    const { x, y } = local(ev);
    if (x < f.left || x > f.left + f.width || y < f.top || y > f.top + f.height) return;
    drag.value = { from: x, to: x, top: f.top, height: f.height };
    wrap.value!.setPointerCapture?.(ev.pointerId);
    ev.preventDefault();
  }
  function onUp(): void {
    const f = frame();
    const d = drag.value;
    drag.value = null;
    if (!f || !d) return;
    const [a, b] = [clampEpoch(epochAt(f, Math.min(d.from, d.to))), clampEpoch(epochAt(f, Math.max(d.from, d.to)))];
    // a click (or a drag within one epoch) is not a zoom
    if (b > a) zoom.value = a === epochs()[0] && b === epochs()[1] ? null : [a, b];
  }
  /** The pointer left the plot: the tooltip goes, unless a drag goes on (the pointer is captured). */
  function onLeave(): void {
    if (!drag.value) hover.value = null;
  }
  function onCancel(): void {
    drag.value = null;
  }
  return { hover, drag, onMove, onDown, onUp, onLeave, onCancel };
}
