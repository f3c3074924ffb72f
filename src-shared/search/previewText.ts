import type { SweepPreview } from './preview';
import type { SweepSpec } from '../sweep';

const int = (n: number): string => n.toLocaleString('en-US');

/** The preview in words (the form's line, `workbench sweep --preview`): "36 runs (12 configurations × 3 seeds) · at most 198 epochs with ASHA (η 3 from epoch 2), 28 % of the 720 they take in full". */
export function previewLine(spec: SweepSpec, p: SweepPreview): string {
  const runs = `${int(p.runs)} run${p.runs === 1 ? '' : 's'} (${int(p.configurations)} configuration${p.configurations === 1 ? '' : 's'} × ${spec.repeats} seed${spec.repeats === 1 ? '' : 's'})`;
  if (!spec.asha) return `${runs} · ${int(p.fullEpochs)} epochs`;
  const share = Math.round((100 * p.maxEpochs) / p.fullEpochs);
  return `${runs} · at most ${int(p.maxEpochs)} epochs with ASHA (η ${spec.asha.reductionFactor} from epoch ${spec.asha.minEpochs}), ${share} % of the ${int(p.fullEpochs)} they take in full`;
}
