import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface UiBundle {
  readonly dir: string;
  remove(): void;
}

/** Builds the web UI into a private temp folder, so the test never races a developer's dist/web. */
export async function buildUiBundle(): Promise<UiBundle> {
  const dir = mkdtempSync(join(tmpdir(), 'workroom-ui-'));
  const { build } = await import('vite');
  await build({
    configFile: resolve('vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: dir, emptyOutDir: true },
  });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
