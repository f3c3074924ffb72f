import { existsSync, readFileSync } from 'node:fs';
import { AppError } from '../../src-shared/errors';
import type { RunDetail } from '../../src-shared/runs';
import { openWorkbench } from '../api/openWorkbench';
import { resolveHome } from '../data/appHome';
import { RunFiles } from '../store/files/runFiles';
import { readModelFile } from '../store/files/modelFile';
import { parseArgs } from './args';
import { writeOutput } from './outputFile';
import { asOverwriteRefusal, outFlag } from './overwrite';

export const EXPORT_MODEL_HELP = [
  'workbench runs export-model <id> [--best] --out file.safetensors [--force] [--home dir]',
  '  copies the model a finished run saved (its final epoch, or with --best its best test epoch when',
  '  kept) to a safetensors file for workbench predict/evaluate or PyTorch; --force replaces an existing file',
].join('\n');

/** Why a run has no model file of the kind asked for, and what to do, in the user's words. */
export function missingModelReason(run: RunDetail, best: boolean, hasFinal: boolean): string {
  const r = `Run ${run.id}`;
  if (best && hasFinal) return `${r} kept no best-epoch model (keeping it was off when it ran); export its final model without --best`;
  switch (run.status) {
    case 'queued':
      return `${r} is queued; it has no model until it finishes`;
    case 'running':
      return `${r} is still training; its model is saved when it finishes`;
    case 'interrupted':
      return `${r} is interrupted after ${run.epochsDone} of its ${run.config.epochs} epochs; resume it first (workbench runs resume ${run.id}), its model is saved when it finishes`;
    case 'cancelled':
      return `${r} was cancelled after ${run.epochsDone} epochs and has no model; re-queue it (workbench runs requeue ${run.id}) to train one`;
    case 'failed':
      return `${r} failed and has no model; re-queue it (workbench runs requeue ${run.id}) to train one`;
    case 'diverged':
      return `${r} diverged at epoch ${run.divergedEpoch ?? '?'}: its weights are not usable, so no model was saved. Try a smaller learning rate`;
    default:
      return `${r} finished but has no model file: it ran before this version saved models, or the file was removed`;
  }
}

/** `workbench runs export-model`: copies a run's stored model file to --out. */
export async function exportModelCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, new Set(['out', 'home']), new Set(['best', 'force', 'help']));
  if (args.flags.has('help')) {
    process.stdout.write(`${EXPORT_MODEL_HELP}\n`);
    return 0;
  }
  const [idText, extra] = args.positional;
  if (idText === undefined) throw new AppError('VALIDATION', `runs export-model needs a run id\n${EXPORT_MODEL_HELP}`);
  if (extra !== undefined) throw new AppError('VALIDATION', `runs export-model takes one run id; '${extra}' is one too many`);
  const id = Number(idText);
  if (!Number.isInteger(id) || id < 1) throw new AppError('VALIDATION', `The run id must be a positive integer, not '${idText}'`);
  const out = args.options.get('out');
  if (!out) throw new AppError('VALIDATION', `runs export-model needs --out file.safetensors (where to write the model)`);
  const flag = outFlag(out, args.flags.has('force'));
  const best = args.flags.has('best');
  const home = resolveHome(args.options.get('home'));
  const wb = openWorkbench(home, { workers: 1 });
  try {
    const run = await wb.api.call('runs/get', { id });
    const files = new RunFiles(home);
    const path = files.modelPath(id, best ? 'best' : 'final');
    if (!existsSync(path)) throw new AppError('NOT_FOUND', `${missingModelReason(run, best, existsSync(files.modelPath(id, 'final')))}. Nothing was written.`);
    // a damaged stored file is reported here, not handed on to fail later elsewhere
    const model = readModelFile(path);
    await writeOutput(out, readFileSync(path), flag).catch(asOverwriteRefusal(out));
    const acc = model.testAccuracy === null ? '' : `, test accuracy ${(model.testAccuracy * 100).toFixed(2)} %`;
    process.stderr.write(`Wrote ${out}: run ${id}'s ${best ? 'best' : 'final'} model (epoch ${model.epoch}${acc})\n`);
    return 0;
  } finally {
    await wb.close();
  }
}
