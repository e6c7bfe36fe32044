import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { openDatabase } from '../../../src/db/index.js';
import { migrations } from '../../../src/db/migrations/index.js';
import { describeEachDatabase } from '../../helpers/databases.js';

const run = promisify(execFile);
const BIN = join(import.meta.dirname, '../../../bin/workroom-qbo.js');

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** The published bin, as a user runs it: `npx workroom-qbo <command>`. */
async function cli(args: string[], env: Record<string, string>): Promise<Outcome> {
  // The database comes from `env` only, never from the caller's own environment.
  const { DATABASE_URL: _inherited, ...inherited } = process.env;
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { ...inherited, LOG_LEVEL: 'silent', ...env }, timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

const dirs: string[] = [];
function freshDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'workroom-cli-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

it('`migrate` creates the SQLite file under DATA_DIR and applies every migration once', async () => {
  const DATA_DIR = freshDataDir();
  const first = await cli(['migrate'], { DATA_DIR });
  expect(first, first.stderr).toMatchObject({ code: 0, stdout: `migrations applied: ${Object.keys(migrations).length} (sqlite)\n` });
  expect((await cli(['migrate'], { DATA_DIR })).stdout).toBe('migrations applied: 0 (sqlite)\n');
});

it('answers an unknown command with the usage and exit code 2, and a bad variable with every problem at once', async () => {
  const unknown = await cli(['frobnicate'], { DATA_DIR: freshDataDir() });
  expect(unknown.code).toBe(2);
  for (const command of ['serve', 'migrate', 'demo', 'emulator', 'worker', 'rotate-key']) expect(unknown.stderr).toContain(`  ${command}`);
  const bad = await cli(['migrate'], { DATA_DIR: freshDataDir(), PORT: 'eighty', DATABASE_URL: 'mysql://x' });
  expect(bad.code).toBe(1);
  expect(bad.stderr).toContain('PORT');
  expect(bad.stderr).toContain('DATABASE_URL: must be a postgres:// URL');
});

it('says which port is taken and which setting moves it, instead of a stack trace', async () => {
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  try {
    const port = (taken.address() as AddressInfo).port;
    const outcome = await cli(['emulator', '--port', String(port)], { DATA_DIR: freshDataDir() });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr.trim()).toBe(
      `port ${port} on 127.0.0.1 is already in use (another Workroom, or another program). ` +
        'Stop it, or choose a free port: PORT for the web server, EMULATOR_PORT for the built-in QuickBooks emulator, --port for `workroom-qbo emulator`.',
    );
  } finally {
    await new Promise((resolve) => taken.close(resolve));
  }
});

it('`emulator --port` serves the local Intuit on its own, and stops on SIGTERM', async () => {
  const child = spawn(process.execPath, [BIN, 'emulator', '--port', '0'], { env: { ...process.env, DATA_DIR: freshDataDir() }, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    let output = '';
    child.stdout.setEncoding('utf8');
    const baseUrl = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: string) => {
        output += chunk;
        const url = /listening on (http:\/\/\S+)/.exec(output)?.[1];
        if (url) resolve(url);
      });
      child.once('exit', (code) => reject(new Error(`emulator exited (${String(code)}) before listening: ${output}`)));
    });
    const discovery = (await (await fetch(`${baseUrl}/.well-known/openid_sandbox_configuration`)).json()) as { token_endpoint: string };
    expect(discovery.token_endpoint).toBe(`${baseUrl}/oauth2/v1/tokens/bearer`);
    const { companies } = (await (await fetch(`${baseUrl}/_emulator/companies`)).json()) as { companies: { environment: string }[] };
    expect(new Set(companies.map((c) => c.environment))).toEqual(new Set(['sandbox', 'production']));
  } finally {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }
});

describeEachDatabase('`demo` through the bin', (getDb, dialect) => {
  it('migrates, seeds the two studios into an empty database, prints their logins, and seeds nothing twice', async () => {
    const { config } = getDb();
    const DATA_DIR = freshDataDir();
    // PostgreSQL: the test's private schema, named in the URL as any libpq user would; SQLite: DATA_DIR/workroom.sqlite.
    const env: Record<string, string> =
      dialect === 'postgres'
        ? { DATA_DIR, DATABASE_URL: `${config.databaseUrl ?? ''}?options=${encodeURIComponent(`-c search_path=${config.pgSchema ?? ''}`)}` }
        : { DATA_DIR };

    const seeded = await cli(['demo'], env);
    expect(seeded.code, seeded.stderr).toBe(0);
    expect(seeded.stdout.trim().split('\n').sort()).toEqual([
      'Harbor & Pine Interiors: designer@demo.studio / demo1234',
      'Harbor & Pine Interiors: owner@demo.studio / demo1234',
      'Maple & Birch Design: owner@demo-ca.studio / demo1234',
    ]);
    expect(await cli(['demo'], env)).toEqual(seeded);

    const handle = dialect === 'postgres' ? getDb() : openDatabase({ sqlitePath: join(DATA_DIR, 'workroom.sqlite') });
    try {
      const orgs = await handle.db.selectFrom('organisations').select('name').orderBy('name').execute();
      expect(orgs.map((o) => o.name)).toEqual(['Harbor & Pine Interiors', 'Maple & Birch Design']);
    } finally {
      if (handle !== getDb()) await handle.close();
    }
  });
});
