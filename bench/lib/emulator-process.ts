import type { AnsweredCall, EmulatorStats } from './emulator-stats.js';
import { spawnTs, type Child } from './processes.js';

export interface BenchEmulator {
  readonly baseUrl: string;
  readonly realmIds: readonly string[];
  readonly child: Child;
  stats(): Promise<EmulatorStats>;
  /** The realm's answered requests that arrived at or after `since` (epoch ms). */
  calls(realmId: string, since: number): Promise<AnsweredCall[]>;
  close(): Promise<void>;
}

/** Starts bench/emulator-main.ts with QBO's limits on, `latencyMs` per call and `realms` company files. */
export async function startBenchEmulator(options: { latencyMs: number; realms: number }): Promise<BenchEmulator> {
  const child = spawnTs('bench/emulator-main.ts', ['--latency', String(options.latencyMs), '--realms', String(options.realms)]);
  const line = await child.waitForLine((l) => l.startsWith('{"baseUrl"'));
  const { baseUrl, realms } = JSON.parse(line) as { baseUrl: string; realms: string[] };
  return {
    baseUrl,
    realmIds: realms,
    child,
    async stats() {
      const res = await fetch(`${baseUrl}/_bench/stats`);
      if (!res.ok) throw new Error(`emulator stats: HTTP ${res.status}`);
      return (await res.json()) as EmulatorStats;
    },
    async calls(realmId, since) {
      const res = await fetch(`${baseUrl}/_bench/calls/${realmId}?since=${since}`);
      if (!res.ok) throw new Error(`emulator calls: HTTP ${res.status}`);
      return (await res.json()) as AnsweredCall[];
    },
    close: () => child.stop(),
  };
}
