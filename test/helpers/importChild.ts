// Child process for the crash test: imports an archive into a home folder and announces extraction
// progress on stdout, so the parent can SIGKILL it half-way.
import { DatasetManager } from '../../src-main/data/datasetManager';

const [home, archive] = process.argv.slice(2);
const manager = new DatasetManager(home);
await manager.import(archive, {
  onProgress: (p) => {
    if (p.phase === 'extract') process.stdout.write(`extract ${p.bytes}\n`);
  },
});
process.stdout.write('done\n');
