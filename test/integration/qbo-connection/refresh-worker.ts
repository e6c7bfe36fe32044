/**
 * A separate process that asks for a QBO client and reads CompanyInfo, for the cross-process single-flight
 * test. Input comes as JSON in QBO_WORKER_INPUT; it prints `ready`, waits for a line on stdin, then prints
 * the outcome as one JSON line.
 */
import { once } from 'node:events';
import { openDatabase, type DatabaseConfig } from '../../../src/db/index.js';
import { makeService } from './harness.js';

interface WorkerInput {
  readonly database: DatabaseConfig;
  readonly baseUrl: string;
  readonly keyHex: string;
  readonly orgId: string;
  readonly clockOffsetMs: number;
}

const input = JSON.parse(process.env['QBO_WORKER_INPUT'] ?? '') as WorkerInput;
const handle = openDatabase(input.database);
try {
  const service = makeService({
    db: handle.db,
    dialect: handle.dialect,
    baseUrl: input.baseUrl,
    keyHex: input.keyHex,
    now: () => Date.now() + input.clockOffsetMs,
  });
  // Loading takes seconds under load; the parent releases every worker at once so they really overlap.
  process.stdout.write('ready\n');
  await once(process.stdin, 'data');
  const client = await service.getClientFor(input.orgId);
  if (!client.ok) throw client.error;
  const info = await client.value.companyInfo();
  process.stdout.write(`${JSON.stringify({ ok: true, companyName: info.CompanyName })}\n`);
} catch (error) {
  process.stdout.write(`${JSON.stringify({ ok: false, error: error instanceof Error ? error.message : String(error) })}\n`);
} finally {
  await handle.close();
}
