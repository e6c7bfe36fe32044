import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { TEST_DATABASE_URL } from './helpers/test-env.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgres: { available: boolean; reason: string };
  }
}

/** Probe PostgreSQL once per run; in CI an unreachable server is an error, elsewhere a one-line skip reason. */
export default async function setup(project: TestProject): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    project.provide('postgres', { available: true, reason: '' });
  } catch (err) {
    const reason = `PostgreSQL at ${TEST_DATABASE_URL} unreachable (${(err as Error).message})`;
    if (process.env.CI === 'true') throw new Error(`${reason}; CI requires it`, { cause: err });
    console.warn(`[tests] skipping PostgreSQL runs: ${reason}`);
    project.provide('postgres', { available: false, reason });
  } finally {
    await client.end().catch(() => undefined);
  }
}
