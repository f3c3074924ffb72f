// Child of npm run bench: trains the report defaults (2×100 sigmoid, batch 64, SGD γ 0.3) for N
// epochs on the dataset cache in `home` with one kernel choice, in this process's main thread, and
// prints one JSON line: the kernel used and the seconds of every epoch (training + test evaluation).
import { parseTrainConfig, type KernelChoice } from '../src-shared/config';
import { DatasetManager } from '../src-main/data/datasetManager';
import { createBackend, train } from '../src-main/engine/index';

const [home, kernel, epochsText] = process.argv.slice(2);
const data = await new DatasetManager(home).load();
const config = parseTrainConfig({ epochs: Number(epochsText), kernel: kernel as KernelChoice });
const result = await train(config, data, { backend: createBackend(config.kernel) });
console.log(JSON.stringify({ kernel: result.kernel, seconds: result.epochs.map((e) => e.seconds), maxRssMb: process.resourceUsage().maxRSS / 1024 }));
