import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, expect, it } from 'vitest';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../../../src/db/index.js';
import { startEmulator, type StartedEmulator } from '../../../src/emulator/index.js';
import { enqueuePush } from '../../../src/qbo/sync/job-queue.js';
import { describeEachDatabase } from '../../helpers/databases.js';
import { testKeyHex } from '../qbo-connection/harness.js';
import { SANDBOX_US, seedStudio } from './harness.js';

const BIN = join(import.meta.dirname, '../../../bin/workroom-qbo.js');

interface Running {
  /** Resolves with the first stdout line containing `text`; rejects if the process exits first. */
  line(text: string): Promise<string>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
  output(): string;
}

/** `workroom-qbo worker` exactly as an operator starts it: the published bin, configured by the environment. */
function startBinWorker(env: Record<string, string>): Running {
  // The database comes from `env` only, never from the caller's own environment.
  const { DATABASE_URL: _inherited, ...inherited } = process.env;
  const child = spawn(process.execPath, [BIN, 'worker', '--concurrency', '2'], { env: { ...inherited, ...env } });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    async line(text) {
      for (;;) {
        const hit = out.split('\n').find((l) => l.includes(text));
        if (hit !== undefined) return hit;
        const done = await Promise.race([exited.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 50))]);
        if (done) throw new Error(`the worker exited before "${text}":\n${out}`);
      }
    },
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
    output: () => out,
  };
}

async function binOutcome(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const failed = err as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

it('`worker --help` explains the command; an unknown option gets the same help and exit code 2', async () => {
  const help = await binOutcome(['worker', '--help']);
  expect(help).toMatchObject({ code: 0, stderr: '' });
  expect(help.stdout).toMatch(/^usage: workroom-qbo worker \[--concurrency N\]\n/);
  expect(help.stdout).toContain('WORKROOM_SECRET_KEY');
  const bogus = await binOutcome(['worker', '--turbo']);
  expect(bogus.code).toBe(2);
  expect(bogus.stderr).toMatch(/Unknown option '--turbo'[\s\S]*usage: workroom-qbo worker/);
  expect(bogus.stdout).toBe('');
});

it('refuses to start without the server’s key instead of making one of its own', async () => {
  const DATA_DIR = mkdtempSync(join(tmpdir(), 'workroom-worker-nokey-'));
  try {
    const { DATABASE_URL: _db, WORKROOM_SECRET_KEY: _key, ...inherited } = process.env;
    const outcome = await promisify(execFile)(process.execPath, [BIN, 'worker'], { env: { ...inherited, DATA_DIR, LOG_LEVEL: 'silent' }, timeout: 30_000 }).then(
      () => ({ code: 0, stderr: '' }),
      (err: { code?: number; stderr?: string }) => ({ code: err.code ?? -1, stderr: err.stderr ?? '' }),
    );
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(`WORKROOM_SECRET_KEY is not set and there is no ${join(DATA_DIR, 'secret.key')}`);
    expect(readdirSync(DATA_DIR)).toEqual([]);
  } finally {
    rmSync(DATA_DIR, { recursive: true, force: true });
  }
});

describeEachDatabase('`workroom-qbo worker` through the bin', (getDb, dialect) => {
  let emulator: StartedEmulator | undefined;
  let sqlite: DatabaseHandle | undefined;
  const dirs: string[] = [];
  afterEach(async () => {
    await emulator?.close();
    await sqlite?.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('starts, pushes a queued document under its own name, and on SIGTERM finishes, says so and exits 0', async () => {
    const DATA_DIR = mkdtempSync(join(tmpdir(), 'workroom-worker-cli-'));
    dirs.push(DATA_DIR);
    // PostgreSQL: the test's private schema, named in the URL as any libpq user would; SQLite: DATA_DIR/workroom.sqlite.
    const { config } = getDb();
    if (dialect === 'sqlite') {
      sqlite = openDatabase({ sqlitePath: join(DATA_DIR, 'workroom.sqlite') });
      await migrateToLatest(sqlite.db);
    }
    const db = sqlite?.db ?? getDb().db;
    emulator = await startEmulator({ port: 0, host: '127.0.0.1', withHistory: false });
    const keyHex = testKeyHex();
    const studio = await seedStudio({ db, dialect, emulator, realmId: SANDBOX_US, keyHex });
    const doc = await studio.invoice(await studio.client('Bin Worker Bureau'), ['240.00']);
    const { job } = await enqueuePush(
      db,
      { orgId: studio.org.id, realmId: SANDBOX_US, documentId: doc.id, documentType: 'invoice', documentRevision: doc.revision, startedBy: studio.userId },
      new Date(),
    );

    const worker = startBinWorker({
      DATA_DIR,
      LOG_LEVEL: 'silent',
      WORKROOM_SECRET_KEY: keyHex,
      QBO_EMULATOR_URL: emulator.baseUrl,
      ...(dialect === 'postgres' ? { DATABASE_URL: `${config.databaseUrl ?? ''}?options=${encodeURIComponent(`-c search_path=${config.pgSchema ?? ''}`)}` } : {}),
    });
    try {
      const started = await worker.line('pushing from');
      expect(started).toMatch(dialect === 'postgres' ? /pushing from PostgreSQL$/ : new RegExp(`pushing from ${join(DATA_DIR, 'workroom.sqlite')}$`));
      const workerId = /^\[worker\] (\S+) /.exec(started)?.[1];

      const status = async () => (await db.selectFrom('push_jobs').select(['status', 'qbo_id']).where('id', '=', job.id).executeTakeFirstOrThrow()).status;
      for (let round = 0; round < 300 && (await status()) !== 'pushed'; round++) await new Promise((r) => setTimeout(r, 50));
      expect(await status(), worker.output()).toBe('pushed');
      const attempts = await db.selectFrom('push_attempts').select(['worker_id', 'started_by', 'outcome']).where('job_id', '=', job.id).execute();
      expect(attempts).toEqual([{ worker_id: workerId, started_by: studio.userId, outcome: 'pushed' }]);
      expect(emulator.control.api.listEntities(SANDBOX_US, 'Invoice').map((i) => i['DocNumber'])).toEqual([doc.number]);
    } finally {
      const code = await worker.stop();
      expect(code, worker.output()).toBe(0);
    }
    expect(worker.output()).toMatch(/stopping: finishing the pushes in hand\n.*stopped\n$/);
  }, 60_000);
});
