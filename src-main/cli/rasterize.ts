import { existsSync, readFileSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../src-shared/errors';
import { fontCoverage } from './fontCoverage';

/** The embedded font: Arimo (SIL OFL 1.1), metric-compatible with the Helvetica/Arial the SVG asks for. */
const FONT_FILES = ['Arimo-Regular.ttf', 'Arimo-Bold.ttf'];
const FONT_FAMILY = 'Arimo';
/** Past this the PNG would take gigabytes of memory: refused rather than risk the process. */
const MAX_SIDE = 32_768;
const MAX_PIXELS = 64 * 2 ** 20;

type Resvg = typeof import('@resvg/resvg-js');
let resvg: Promise<Resvg> | null = null;
let fonts: { files: string[]; covers: ((codePoint: number) => boolean) | null } | null = null;

/**
 * resources/fonts of the checkout, looked for from this module's folder: two levels up from
 * src-main/cli (tsx, the CLI) and from out/main (the electron-vite bundle), three from a chunk, or
 * beside a packaged app's resources.
 */
function fontFolder(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const packaged = (process as { resourcesPath?: string }).resourcesPath;
  const places = [join(here, '../../resources/fonts'), join(here, '../../../resources/fonts'), ...(packaged ? [join(packaged, 'fonts')] : [])];
  const found = places.find((p) => FONT_FILES.every((f) => existsSync(join(p, f))));
  if (!found) throw new AppError('INTERNAL', `PNG export needs its font (${FONT_FILES.join(', ')}), which is not in ${places.join(' or ')}: reinstall the workbench, or export svg instead`);
  return found;
}

function embeddedFonts(): NonNullable<typeof fonts> {
  if (!fonts) {
    const folder = fontFolder();
    const files = FONT_FILES.map((f) => join(folder, f));
    let covers: ((codePoint: number) => boolean) | null = null;
    try {
      covers = fontCoverage(readFileSync(files[0]));
    } catch {
      covers = null; // an unreadable table only costs the fallback below
    }
    fonts = { files, covers };
  }
  return fonts;
}

function loadResvg(): Promise<Resvg> {
  resvg ??= import('@resvg/resvg-js').catch((e: unknown) => {
    resvg = null;
    throw new AppError('INTERNAL', `PNG export needs the @resvg/resvg-js package built for this computer (${platform()}-${arch()}), which did not load (${(e as Error).message.split('\n')[0]}): run npm install, or export svg instead`);
  });
  return resvg;
}

/** Whether some character of the SVG's text (entities decoded) has no glyph in the embedded font. */
function needsOtherFonts(svg: string, covers: (codePoint: number) => boolean): boolean {
  const text = svg.replace(/&#x([0-9a-f]+);|&#(\d+);/gi, (_, hex: string | undefined, dec: string | undefined) => String.fromCodePoint(hex ? parseInt(hex, 16) : Number(dec)));
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c > 0x7e && !covers(c)) return true;
  }
  return false;
}

/**
 * Renders an SVG to PNG at `scale`× its size with resvg (a native library prebuilt for every
 * platform; no browser), off the event loop, so the CLI and main rasterise in well under a second.
 * Text is set in the embedded Arimo, so a chart is the same pixels on Linux, macOS and Windows,
 * offline; only when its text has characters Arimo lacks (CJK, emoji) are the system's fonts loaded
 * too, to draw those. Used by `workbench export png` and the reproduction script.
 */
export async function svgToPng(svg: string, scale = 2): Promise<Buffer> {
  if (!(scale > 0 && scale <= 16)) throw new AppError('VALIDATION', `the PNG scale must be a number above 0 and at most 16, not ${scale}`);
  const root = /<svg\b[^>]*>/.exec(svg)?.[0];
  if (!root) throw new AppError('VALIDATION', `the chart to rasterise is not an SVG (it does not start with an <svg> element: '${svg.slice(0, 40)}')`);
  const side = (name: string): number => Number(new RegExp(`\\s${name}="([\\d.]+)(px)?"`).exec(root)?.[1] ?? 0) * scale;
  const [width, height] = [side('width'), side('height')];
  if (width > MAX_SIDE || height > MAX_SIDE || width * height > MAX_PIXELS) {
    throw new AppError('VALIDATION', `the chart would be a ${Math.round(width)}×${Math.round(height)} PNG, over the ${MAX_SIDE.toLocaleString('en')}-pixel side or ${MAX_PIXELS / 2 ** 20} Mpixel limit: export svg instead, or a chart with fewer groups`);
  }
  const { files, covers } = embeddedFonts();
  const { renderAsync } = await loadResvg();
  try {
    const image = await renderAsync(svg, {
      fitTo: { mode: 'zoom', value: scale },
      font: { fontFiles: files, loadSystemFonts: covers !== null && needsOtherFonts(svg, covers), defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
      logLevel: 'off',
    });
    return image.asPng();
  } catch (e) {
    throw new AppError('VALIDATION', `the chart could not be rasterised: ${(e as Error).message}`);
  }
}
