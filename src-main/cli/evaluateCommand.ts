import { CIFAR } from '../../src-shared/cifar';
import { AppError } from '../../src-shared/errors';
import { resolveHome } from '../data/appHome';
import { evaluate, identityOrder } from '../engine/evaluate';
import { createBackend, INFER_BLOCK, loadMlp } from '../engine/index';
import { architecture, readModelFile } from '../store/files/modelFile';
import { parseArgs } from './args';
import { loadEvaluationData } from './evaluationData';
import { modelLine } from './predictCommand';

export const EVALUATE_HELP = [
  'workbench evaluate <model.safetensors> [--data <home|folder|cifar-10-binary.tar.gz>] [--home dir] [--json]',
  '',
  'Test accuracy, loss and the 10×10 confusion matrix of a saved model on the CIFAR-10 test split.',
  '  --data <path>   another home folder, an extracted cifar-10-batches-bin folder or the .tar.gz',
  '                  (default: the dataset cache of the home folder)',
  '  --json          one JSON object: accuracy and loss, confusion (rows: true class), class names, warnings',
  'A warning (not an error) says when the data differs from the dataset the model was trained on.',
].join('\n');

const pct = (v: number): string => `${(v * 100).toFixed(2)} %`;

/** The confusion matrix as text: a row per true class, a column per predicted class, names as headers. */
function confusionText(rows: number[][], names: readonly string[]): string {
  const width = Math.max(...names.map((n) => n.length), ...rows.flat().map((v) => String(v).length));
  const head = `${''.padEnd(width)}  ${names.map((n) => n.padStart(width)).join(' ')}`;
  return [head, ...rows.map((r, i) => `${names[i].padEnd(width)}  ${r.map((v) => String(v).padStart(width)).join(' ')}`)].join('\n');
}

/** `workbench evaluate`: exit code 0 (a dataset other than the model's is a warning). */
export async function evaluateCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, new Set(['data', 'home']), new Set(['json', 'help']));
  if (args.flags.has('help')) {
    process.stdout.write(`${EVALUATE_HELP}\n`);
    return 0;
  }
  const [modelPath, extra] = args.positional;
  if (!modelPath) throw new AppError('VALIDATION', `evaluate needs a model file\n${EVALUATE_HELP}`);
  if (extra !== undefined) throw new AppError('VALIDATION', `evaluate takes one model file; '${extra}' is one too many (give the data with --data)`);
  const model = readModelFile(modelPath);
  if (model.layers.at(-1)!.fanOut !== CIFAR.classes) throw new AppError('VALIDATION', `The model ${modelPath} has ${model.layers.at(-1)!.fanOut} outputs; evaluating on CIFAR-10 needs ${CIFAR.classes}`);
  const json = args.flags.has('json');
  const data = await loadEvaluationData(args.options.get('data'), resolveHome(args.options.get('home')));
  const warnings: string[] = [];
  if (model.datasetSha256 && data.sha256 && model.datasetSha256 !== data.sha256) {
    warnings.push(`the model was trained on another dataset (sha256 ${model.datasetSha256.slice(0, 12)}… in the model, ${data.sha256.slice(0, 12)}… for ${data.source}); these figures are not comparable with its run's`);
  }
  const backend = createBackend('auto');
  // the chunking the trainer evaluated with, so a model on its own data gives the run's figures exactly
  const capacity = Math.max(model.config.batchSize, INFER_BLOCK);
  const mlp = loadMlp(backend, model.layers, model.config.activation, capacity);
  const result = evaluate(mlp, backend.batch(capacity, CIFAR.pixelBytes), data.test, model.transform, identityOrder(data.test.count));
  const n = CIFAR.classes;
  const confusion = [...Array(n).keys()].map((r) => result.confusion.slice(r * n, (r + 1) * n));
  for (const w of warnings) process.stderr.write(`workbench: warning: ${w}\n`);
  if (json) {
    const about = { path: modelPath, runId: model.runId, epoch: model.epoch, architecture: architecture(model), testAccuracy: model.testAccuracy, datasetSha256: model.datasetSha256 };
    const out = {
      model: about, data: { source: data.source, sha256: data.sha256, images: data.test.count }, kernel: backend.kind,
      testAccuracy: result.accuracy, testLoss: result.loss, correct: Math.round(result.accuracy * data.test.count), confusion, classNames: model.classNames, warnings,
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return 0;
  }
  const lines = [
    modelLine(modelPath, model),
    `Data: the test split of ${data.source.replace(/^the /, '')}, ${data.test.count.toLocaleString('en')} images · kernel ${backend.kind}`,
    `Test accuracy ${pct(result.accuracy)} · test loss ${result.loss.toFixed(4)}`,
    '',
    'Confusion matrix (rows: true class, columns: predicted class)',
    confusionText(confusion, model.classNames),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}
