import { AppError } from '../../src-shared/errors';
import { createBackend, inferSplit } from '../engine/index';
import { architecture, readModelFile, type Model } from '../store/files/modelFile';
import { parseArgs } from './args';
import { readInputImages } from './imageInputs';

export const PREDICT_HELP = [
  'workbench predict <model.safetensors> <image…> [--json]',
  '',
  'Classifies images with a saved model (workbench runs export-model) and prints the three most',
  'probable classes of each, in %.',
  '  <image>   a 32×32 PNG; a CIFAR-10 binary file (records of 3,073 bytes: label + pixels, any number',
  '            per file; each record is classified and its true class shown); or one 3,072-byte image',
  '  --json    one JSON object: the model, per image {file, record, label, trueClass, top, probabilities}',
  '            (probabilities as fractions) and the accuracy on the labelled images',
].join('\n');

const TOP = 3;

/** A one-line description of a model for the command's output. */
export function modelLine(path: string, model: Model): string {
  const from = model.runId === null ? 'not from a run' : `run ${model.runId}`;
  const acc = model.testAccuracy === null ? '' : `, test accuracy ${(model.testAccuracy * 100).toFixed(2)} % when saved`;
  return `Model ${path}: ${from}, epoch ${model.epoch}${acc} · ${architecture(model)}`;
}

/** `workbench predict`: classifies PNGs and CIFAR records with a model file; exit code 0. */
export async function predictCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, new Set(), new Set(['json', 'help']));
  if (args.flags.has('help')) {
    process.stdout.write(`${PREDICT_HELP}\n`);
    return 0;
  }
  const [modelPath, ...paths] = args.positional;
  if (!modelPath) throw new AppError('VALIDATION', `predict needs a model file and at least one image\n${PREDICT_HELP}`);
  if (!paths.length) throw new AppError('VALIDATION', `predict needs at least one image after the model file ${modelPath}\n${PREDICT_HELP}`);
  const model = readModelFile(modelPath);
  const { images, split } = await readInputImages(paths);
  const backend = createBackend('auto');
  const result = await inferSplit(backend, model.layers, model.config.activation, split, model.transform);
  const classes = result.classes;
  const name = (label: number): string => model.classNames[label] ?? `class ${label}`;
  const rows = images.map((img, i) => {
    const probabilities = Array.from(result.probs.subarray(i * classes, (i + 1) * classes));
    const top = probabilities.map((p, label) => ({ label, className: name(label), probability: p })).sort((a, b) => b.probability - a.probability || a.label - b.label).slice(0, TOP);
    return { ...img, trueClass: img.label === null ? null : name(img.label), top, probabilities };
  });
  const labelled = rows.filter((r) => r.label !== null);
  const correct = labelled.filter((r) => r.top[0].label === r.label).length;
  const accuracy = labelled.length ? { labelled: labelled.length, correct, accuracy: correct / labelled.length } : null;

  if (args.flags.has('json')) {
    const about = { path: modelPath, runId: model.runId, epoch: model.epoch, architecture: architecture(model), classNames: model.classNames, kernel: backend.kind };
    process.stdout.write(`${JSON.stringify({ model: about, images: rows, accuracy }, null, 2)}\n`);
    return 0;
  }
  process.stderr.write(`${modelLine(modelPath, model)} · kernel ${backend.kind}\n`);
  const labels = rows.map((r) => (r.record === null ? r.file : `${r.file} #${r.record}`));
  const width = Math.max(...labels.map((l) => l.length));
  const classWidth = Math.max(...model.classNames.map((c) => c.length));
  const lines = rows.map((r, i) => {
    const top = r.top.map((t) => `${t.className.padEnd(classWidth)} ${(t.probability * 100).toFixed(1).padStart(5)} %`).join('   ');
    const truth = r.trueClass === null ? '' : `   true: ${r.trueClass} ${r.top[0].label === r.label ? '✓' : '✗'}`;
    return `${labels[i].padEnd(width)}   ${top}${truth}`;
  });
  if (accuracy) lines.push(`Accuracy on the ${accuracy.labelled.toLocaleString('en')} labelled images: ${(accuracy.accuracy * 100).toFixed(2)} % (${correct.toLocaleString('en')} right)`);
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
