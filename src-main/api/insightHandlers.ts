import type { ParsedRequest, Response } from '../../src-shared/api';
import { AppError } from '../../src-shared/errors';
import type { ModelWhich } from '../../src-shared/insights';
import type { Store } from '../store/store';
import type { RunInsightsService } from './runInsights';
import { copyModelTo, runModelFile, type ModelFileInfo } from './runModels';

/**
 * Asks the user where to save a file (the desktop app's save dialog, in main); resolves to the
 * chosen path, or null when cancelled. Paths never come from the renderer.
 */
export type SaveDialog = (suggestedName: string) => Promise<string | null>;

type InsightChannel = 'runs/insights' | 'runs/misclassified' | 'runs/firstLayer' | 'runs/exportModel';
type InsightHandlers = { [K in InsightChannel]: (req: ParsedRequest<K>) => Promise<Response<K>> };

export interface InsightContext {
  store(): Store;
  service(): RunInsightsService;
  saveDialog(): SaveDialog | null;
}

/** The model file of a run by id (for the browser-mode download route and the desktop export). */
export function modelFileOf(ctx: Pick<InsightContext, 'store' | 'service'>, id: number, which: ModelWhich): ModelFileInfo {
  return runModelFile(ctx.service().files, ctx.store().getRun(id), which);
}

/** Handlers of the channels that look inside a run's saved model and export it. */
export function insightHandlers(ctx: InsightContext): InsightHandlers {
  return {
    'runs/insights': async (req) => ctx.service().insights(ctx.store().getRun(req.id), req.which),
    'runs/misclassified': async (req) => ctx.service().misclassified(ctx.store().getRun(req.id), req.which, req.trueClass, req.predictedClass, req.offset, req.limit),
    'runs/firstLayer': async (req) => ctx.service().firstLayer(ctx.store().getRun(req.id), req.which, req.limit),
    'runs/exportModel': async (req) => {
      const dialog = ctx.saveDialog();
      if (!dialog) throw new AppError('VALIDATION', 'Saving through a dialog is only available in the desktop app; in browser mode the model downloads through its link on the run page (GET /api/runs/ID/model).');
      const file = modelFileOf(ctx, req.id, req.which);
      const dest = await dialog(file.filename);
      if (dest === null) return { saved: false, path: null, bytes: 0 };
      await copyModelTo(file.path, dest);
      return { saved: true, path: dest, bytes: file.bytes };
    },
  };
}
