import { describe, expect, it } from 'vitest';
import { parseTrainConfig } from '../../../src-shared/config';
import { NativeBackend } from '../../../src-main/engine/native/nativeBackend';
import { train } from '../../../src-main/engine/trainer';
import { reachableLevels } from '../../helpers/nativeLevels';
import { syntheticDataset } from '../../helpers/synthetic';

// Same config, seed and kernel level → bit-identical metrics (every loss, accuracy and confusion
// count), with SGD (fused step) and Adam (unfused); another seed gives other numbers.

const levels = reachableLevels();
const data = syntheticDataset(300, 100, 3);
const strip = (r: Awaited<ReturnType<typeof train>>) => r.epochs.map(({ seconds: _s, ...rest }) => rest);

describe.skipIf(levels.length === 0)('native training is deterministic', () => {
  for (const level of levels) {
    it(`${level}: same seed, same metrics`, async () => {
      for (const optimizer of ['sgd', 'adam'] as const) {
        const config = parseTrainConfig({ epochs: 2, hidden: [20, 10], seed: 4, optimizer, learningRate: optimizer === 'adam' ? 0.001 : 0.3, batchSize: 32, momentum: optimizer === 'sgd' ? 0.5 : 0 });
        const a = await train(config, data, { backend: new NativeBackend(level) });
        const b = await train(config, data, { backend: new NativeBackend(level) });
        const c = await train({ ...config, seed: 5 }, data, { backend: new NativeBackend(level) });
        expect(a.kernel).toBe(`native-${level}`);
        expect(strip(a)).toEqual(strip(b));
        expect(strip(a)).not.toEqual(strip(c));
      }
    });
  }
});
