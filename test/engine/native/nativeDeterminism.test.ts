import { describe, expect, it } from 'vitest';
import { parseTrainConfig } from '../../../src-shared/config';
import { NativeBackend } from '../../../src-main/engine/native/nativeBackend';
import { createBackend } from '../../../src-main/engine/kernelChoice';
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

describe.skipIf(levels.length === 0)('a worker reusing its native memory run after run', () => {
  it('gets the same metrics as fresh memory, whatever ran before (the arena hands out zeroed regions)', async () => {
    const small = parseTrainConfig({ epochs: 1, hidden: [7], seed: 1, batchSize: 16 });
    const config = parseTrainConfig({ epochs: 2, hidden: [20, 10], seed: 4, momentum: 0.5 });
    const fresh = await train(config, data, { backend: createBackend('native') });
    await train(small, data, { backend: createBackend('native', { reuseMemory: true }) });
    const reused = await train(config, data, { backend: createBackend('native', { reuseMemory: true }) });
    const again = await train(config, data, { backend: createBackend('native', { reuseMemory: true }) });
    expect(strip(reused)).toEqual(strip(fresh));
    expect(strip(again)).toEqual(strip(fresh));
  });
});
