import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openWorkbench } from '../../src-main/api/openWorkbench';
import { cifarMembers, writeCifarTarGz } from '../helpers/cifarFixture';
import { workbench } from '../helpers/workbenchCli';

const root = mkdtempSync(join(tmpdir(), 'cli-local-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('workbench sweep --local', () => {
  it('trains on this computer although the saved queue is a Redis server (here one nobody runs); --local with --redis is refused', async () => {
    const home = join(root, 'home');
    const wb = openWorkbench(home, { workers: 1 });
    await wb.api.call('data/import', { path: writeCifarTarGz(join(root, 'c.tar.gz'), cifarMembers(40, 20)) });
    await wb.api.call('settings/set', { queueBackend: 'redis', redisUrl: 'redis://127.0.0.1:1' });
    await wb.close();
    const spec = join(root, 'spec.json');
    writeFileSync(spec, JSON.stringify({ name: 'here', base: { epochs: 2, hidden: [8] }, repeats: 2 }));

    const done = await workbench('sweep', spec, '--local', '--workers', '1', '--home', home);
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    const check = openWorkbench(home, { workers: 1, local: true });
    try {
      expect((await check.api.call('runs/list', {})).map((r) => r.status)).toEqual(['finished', 'finished']);
      expect((await check.api.call('settings/get', {})).queueBackend).toBe('redis'); // the saved setting is kept
    } finally {
      await check.close();
    }

    const both = await workbench('sweep', spec, '--local', '--redis', 'redis://127.0.0.1:1', '--home', home);
    expect(both.code).not.toBe(0);
    expect(both.stderr).toContain('--local and --redis exclude each other');
  }, 120_000);
});
