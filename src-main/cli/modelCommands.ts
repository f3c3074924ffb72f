import { existsSync, readFileSync } from 'node:fs';
import { AppError } from '../../src-shared/errors';
import { openWorkbench } from '../api/openWorkbench';
import { runModelFile } from '../api/runModels';
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
    let path: string;
    try {
      path = runModelFile(files, run, best ? 'best' : 'final').path;
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      // the reason already names `workbench runs resume` where that is what to do
      const hint = best && existsSync(files.modelPath(id, 'final')) ? ' (without --best)' : '';
      throw new AppError(e.code, `${e.message.replace(/\.$/, '')}${hint}. Nothing was written.`);
    }
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
