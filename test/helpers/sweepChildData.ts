import type { Dataset } from '../../src-main/engine/dataset';
import { syntheticDataset } from './synthetic';

/** The dataset of the chaos sweep child, rebuilt identically by the check that resumes its runs. */
export function chaosDataset(): Dataset {
  return syntheticDataset(600, 100, 5, 128);
}
