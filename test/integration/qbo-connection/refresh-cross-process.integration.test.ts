import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { StartedEmulator } from '../../../src/emulator/index.js';
import { describeEachDatabase } from '../../helpers/databases.js';
import { connect, makeService, SANDBOX_US, seedSession, startCountingEmulator, testKeyHex, type TokenEndpointCounter } from './harness.js';

const WORKER = fileURLToPath(new URL('./refresh-worker.ts', import.meta.url));
const WORKERS = 3;
const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;

let emulator: StartedEmulator;
let tokenRequests: TokenEndpointCounter;
beforeAll(async () => {
  ({ emulator, tokenRequests } = await startCountingEmulator());
});
afterAll(async () => {
  await emulator.close();
});

describeEachDatabase('qbo token refresh across processes', (getDb, dialect) => {
  it(`${WORKERS} processes with an expired access token make exactly one refresh request and keep the rotated refresh token`, async () => {
    const keyHex = testKeyHex();
    const db = getDb().db;
    const session = await seedSession(db);
    const parent = makeService({ db, dialect, baseUrl: emulator.baseUrl, keyHex, now: () => emulator.clock.now() });
    const outcome = await connect(parent, session, SANDBOX_US);
    expect(outcome.ok).toBe(true);
    // A day and an hour on: the access token has expired and Intuit rotates the refresh token on this refresh.
    emulator.clock.advance(DAY_MS + HOUR_MS);
    tokenRequests.reset();

    const input = {
      database: getDb().config,
      baseUrl: emulator.baseUrl,
      keyHex,
      orgId: session.orgId,
      clockOffsetMs: emulator.clock.now() - Date.now(),
    };
    const workers = Array.from({ length: WORKERS }, () => startWorker(input));
    await Promise.all(workers.map((w) => w.ready));
    for (const w of workers) w.child.stdin.end('go\n');
    const answers = await Promise.all(workers.map((w) => w.answer));
    expect(answers).toEqual(Array(WORKERS).fill({ ok: true, companyName: 'Sandbox Company_US_1' }));
    expect(tokenRequests.count()).toBe(1);

    // The old refresh token died with that refresh; the next one works only if the rotated token was kept.
    emulator.clock.advance(HOUR_MS + 1000);
    const client = await parent.getClientFor(session.orgId);
    if (!client.ok) throw client.error;
    expect((await client.value.companyInfo()).CompanyName).toBe('Sandbox Company_US_1');
    expect(tokenRequests.count()).toBe(2);
    emulator.clock.reset();
  }, 60_000);
});

interface Worker {
  readonly child: ChildProcessWithoutNullStreams;
  readonly ready: Promise<void>;
  readonly answer: Promise<unknown>;
}

function startWorker(input: object): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER], {
    env: { ...process.env, QBO_WORKER_INPUT: JSON.stringify(input) },
  });
  let out = '';
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
    if (out.startsWith('ready\n')) markReady();
  });
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const answer = new Promise<unknown>((resolve, reject) => {
    child.on('close', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !last.startsWith('{')) reject(new Error(`worker exited ${code}: ${err.slice(0, 2000)}`));
      else resolve(JSON.parse(last));
    });
  });
  // A worker that dies before "ready" must fail the test, not hang it.
  return { child, ready: Promise.race([ready, answer.then(() => undefined)]), answer };
}
