import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ControllableClock } from '../../../src/emulator/clock.js';
import { EmulatorStore } from '../../../src/emulator/state/index.js';
import { US } from './harness.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('EmulatorStore persistence', () => {
  it('saves changes to the JSON file and loads them on the next start', async () => {
    dir = await mkdtemp(join(tmpdir(), 'qbo-emulator-'));
    const filePath = join(dir, 'state.json');
    const clock = new ControllableClock();
    const first = await EmulatorStore.open({ clock, filePath, saveDebounceMs: 5 });
    first.realm(US)!.entities.Customer['99'] = { Id: '99', DisplayName: 'Survivor' };
    first.markChanged();
    await first.flush();
    expect(JSON.parse(await readFile(filePath, 'utf8'))).toMatchObject({ version: 1 });
    const second = await EmulatorStore.open({ clock, filePath });
    expect(second.realm(US)!.entities.Customer['99']).toEqual({ Id: '99', DisplayName: 'Survivor' });
    second.reset();
    expect(second.realm(US)!.entities.Customer['99']).toBeUndefined();
  });
});
