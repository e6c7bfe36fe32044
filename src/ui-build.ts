import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const UI_SOURCE_DIR = resolve('src/web');
export const UI_DIST_DIR = resolve('dist/web');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** `npm start` builds the UI only when the bundle is missing or older than its sources. */
export async function ensureUiBuilt(log: (msg: string) => void): Promise<string> {
  const index = join(UI_DIST_DIR, 'index.html');
  const stale = !existsSync(index) || statSync(index).mtimeMs < newestMtime(UI_SOURCE_DIR);
  if (stale) {
    log('building the web UI (vite)…');
    const { build } = await import('vite');
    await build({ configFile: resolve('vite.config.ts'), logLevel: 'warn' });
  }
  return UI_DIST_DIR;
}
