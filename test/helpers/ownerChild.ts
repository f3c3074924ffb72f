// Child process for the staging-owner tests: prints this process's owner record (as an import
// would write it) and stays alive until its stdin closes, so the parent can test "owner running"
// and then, after killing it, "owner gone" against a real foreign process.
import { currentOwner } from '../../src-main/data/processOwner';

process.stdout.write(`${JSON.stringify(await currentOwner())}\n`);
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
