import type { Kysely } from 'kysely';
import type { Database, DialectName } from '../../db/index.js';
import { DEFAULT_RETRY_POLICY, nextRetryDelay, type RetryPolicy } from './backoff.js';
import { claimJobs, completeJob, failJob, type PushJob } from './job-queue.js';

/** What processing one job came to; the worker turns it into the job's next state. */
export type JobOutcome =
  | { status: 'pushed'; qboId: string }
  | {
      status: 'failed';
      code: string;
      message: string;
      detail?: string | undefined;
      /** Transient (429, 5xx, timeout, expired access token): the worker retries it by itself. */
      retryable: boolean;
      retryAfterMs?: number | undefined;
      /** QBO rejected the write outright, so the requestid may be replaced on the next try. */
      definitiveRejection: boolean;
    };

export type JobProcessor = (job: PushJob) => Promise<JobOutcome>;

export interface WorkerOptions {
  db: Kysely<Database>;
  dialect: DialectName;
  workerId: string;
  process: JobProcessor;
  concurrency?: number;
  leaseMs?: number;
  pollMs?: number;
  retryPolicy?: RetryPolicy;
  now?: () => Date;
  onError?: (err: unknown) => void;
}

export interface Worker {
  /** Claims and settles one round of due jobs; returns how many it handled. */
  tick(): Promise<number>;
  /**
   * Claims and settles just these jobs now, if they are due and no other worker holds them; returns how many
   * it handled. A single push the user waits on runs here instead of waiting for the next poll.
   */
  runNow(jobIds: readonly string[]): Promise<number>;
  start(): void;
  stop(): Promise<void>;
}

export function createWorker(opts: WorkerOptions): Worker {
  const concurrency = opts.concurrency ?? 4;
  const leaseMs = opts.leaseMs ?? 120_000;
  const pollMs = opts.pollMs ?? 500;
  const policy = opts.retryPolicy ?? DEFAULT_RETRY_POLICY;
  const now = opts.now ?? (() => new Date());
  let running = false;
  let loop: Promise<void> | undefined;
  let wake: (() => void) | undefined;

  async function settle(job: PushJob): Promise<void> {
    let outcome: JobOutcome;
    try {
      outcome = await opts.process(job);
    } catch (err) {
      // A bug in processing must not strand the job in 'pushing': fail it visibly instead.
      outcome = { status: 'failed', code: 'internal_error', message: (err as Error).message, retryable: false, definitiveRejection: false };
    }
    const at = now();
    if (outcome.status === 'pushed') {
      await completeJob(opts.db, job.id, opts.workerId, { qboId: outcome.qboId }, at);
      return;
    }
    const delay = outcome.retryable
      ? nextRetryDelay(policy, {
          attempts: job.attempts,
          elapsedMs: at.getTime() - new Date(job.created_at).getTime(),
          retryAfterMs: outcome.retryAfterMs,
        })
      : undefined;
    await failJob(
      opts.db,
      job.id,
      opts.workerId,
      {
        code: outcome.code,
        message: outcome.message,
        detail: outcome.detail,
        retryAt: delay === undefined ? undefined : new Date(at.getTime() + delay),
        definitiveRejection: outcome.definitiveRejection,
      },
      at,
    );
  }

  async function tick(): Promise<number> {
    const jobs = await claimJobs(opts.db, opts.dialect, { workerId: opts.workerId, limit: concurrency, leaseMs, now: now() });
    await Promise.all(jobs.map(settle));
    return jobs.length;
  }

  async function runNow(jobIds: readonly string[]): Promise<number> {
    if (jobIds.length === 0) return 0;
    const jobs = await claimJobs(opts.db, opts.dialect, { workerId: opts.workerId, limit: jobIds.length, leaseMs, now: now(), jobIds });
    await Promise.all(jobs.map(settle));
    return jobs.length;
  }

  async function run(): Promise<void> {
    while (running) {
      let handled = 0;
      try {
        handled = await tick();
      } catch (err) {
        opts.onError?.(err);
      }
      if (handled === 0 && running) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
  }

  return {
    tick,
    runNow,
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    async stop() {
      running = false;
      wake?.();
      await loop;
    },
  };
}
