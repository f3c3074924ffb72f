/**
 * What the workbench shows inside a run: measures of its saved model on the test split, computed
 * from the model's own predictions (the analysis worker), so the confusion cells a user clicks and
 * the images behind them always agree.
 */

/** Which saved model of a run: the weights at its last epoch, or at its best test epoch. */
export type ModelWhich = 'final' | 'best';

/** Precision, recall and F1 of one class (null where undefined: nothing predicted or no images). */
export interface ClassScores {
  precision: number | null;
  recall: number | null;
  f1: number | null;
  /** Test images of the class (the confusion row's sum). */
  support: number;
}

export interface RunInsights {
  runId: number;
  which: ModelWhich;
  /** The epoch the model's weights are from. */
  epoch: number;
  /** Fraction of the test split classified right (top-1), from the model. */
  testAccuracy: number;
  /** Fraction whose true class is among the k most probable, for k = 1, 3, 5. */
  topK: { k: number; accuracy: number }[];
  /** classes × classes counts, row = true class, column = predicted class. */
  confusion: number[];
  classNames: string[];
  perClass: ClassScores[];
  /** Unweighted mean over classes of precision, recall and F1 (undefined ones left out). */
  macro: { precision: number | null; recall: number | null; f1: number | null };
  testCount: number;
  /** Whether the run also kept its best-epoch model (for the export button). */
  hasBest: boolean;
}

/** One test image of a confusion cell with what the model thought of it. */
export interface MisclassifiedItem {
  /** Index in the test split. */
  index: number;
  pngBase64: string;
  /** Probability of the predicted class. */
  predictedProbability: number;
  /** Probability the model gave the true class. */
  trueProbability: number;
  /** The three most probable classes, most probable first. */
  top: { label: number; probability: number }[];
}

export interface MisclassifiedPage {
  trueClass: number;
  predictedClass: number;
  /** Images in the cell (its count in the confusion matrix). */
  total: number;
  offset: number;
  items: MisclassifiedItem[];
}

/** One hidden unit's incoming weights from the input layer, drawn as a 32×32 RGB image. */
export interface FirstLayerUnit {
  unit: number;
  /** ‖w‖₂ over its 3,072 input weights. */
  norm: number;
  /** Largest |w| (the scale that maps to 0 or 255). */
  maxAbs: number;
  pngBase64: string;
}

export interface FirstLayerWeights {
  runId: number;
  epoch: number;
  /** True when the network has no hidden layer: the units are the output classes' templates. */
  outputLayer: boolean;
  /** Units in the layer; `units` holds the first ones by norm, up to the limit asked for. */
  total: number;
  units: FirstLayerUnit[];
}

/** Per-class precision, recall and F1 from a confusion matrix (row = true, column = predicted). */
export function classScores(confusion: readonly number[], classes: number): ClassScores[] {
  const out: ClassScores[] = [];
  for (let c = 0; c < classes; c++) {
    let row = 0;
    let col = 0;
    for (let k = 0; k < classes; k++) {
      row += confusion[c * classes + k];
      col += confusion[k * classes + c];
    }
    const tp = confusion[c * classes + c];
    const precision = col > 0 ? tp / col : null;
    const recall = row > 0 ? tp / row : null;
    const f1 = precision !== null && recall !== null ? (precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0) : null;
    out.push({ precision, recall, f1, support: row });
  }
  return out;
}

/** Mean of the defined values, or null when none is. */
export function meanDefined(values: (number | null)[]): number | null {
  const defined = values.filter((v): v is number => v !== null);
  return defined.length ? defined.reduce((s, v) => s + v, 0) / defined.length : null;
}
