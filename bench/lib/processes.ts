import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export const REPO_ROOT = new URL('../../', import.meta.url).pathname;

export interface Child {
  readonly process: ChildProcess;
  readonly pid: number;
  /** The last lines it wrote, for an error message when it dies. */
  tail(): string;
  /** Resolves with the first stdout line that `match` accepts; rejects if the process exits first. */
  waitForLine(match: (line: string) => boolean, timeoutMs?: number): Promise<string>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
}

/** A TypeScript entry point in its own Node process (tsx's loader), cwd at the repo root. */
export function spawnTs(script: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Child {
  // BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR" profiles the product and emulator processes (NODE_OPTIONS refuses it).
  const nodeArgs = (process.env['BENCH_NODE_ARGS'] ?? '').split(' ').filter((arg) => arg !== '');
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not start ${script}`);
  const lines: string[] = [];
  const listeners = new Set<(line: string) => void>();
  const keep = (line: string): void => {
    lines.push(line);
    if (lines.length > 40) lines.shift();
  };
  const out = createInterface({ input: child.stdout });
  out.on('line', (line) => {
    keep(line);
    for (const l of listeners) l(line);
  });
  createInterface({ input: child.stderr }).on('line', keep);
  let exited = child.exitCode !== null;
  const exit = once(child, 'exit').then(() => {
    exited = true;
  });

  return {
    process: child,
    pid: child.pid,
    tail: () => lines.join('\n'),
    waitForLine(match, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`${script}: no expected output within ${timeoutMs} ms\n${lines.join('\n')}`)), timeoutMs);
        const onLine = (line: string): void => {
          if (match(line)) finish(undefined, line);
        };
        const finish = (error: Error | undefined, line?: string): void => {
          clearTimeout(timer);
          listeners.delete(onLine);
          if (error) reject(error);
          else resolve(line as string);
        };
        listeners.add(onLine);
        void exit.then(() => finish(new Error(`${script} exited (code ${child.exitCode})\n${lines.join('\n')}`)));
      });
    },
    async stop(graceMs = 5_000) {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** A port nothing listens on right now (the OS's pick), for a child that must be told its port up front. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
