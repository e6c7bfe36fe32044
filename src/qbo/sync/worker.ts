import type { Kysely } from 'kysely';
import { yieldToEventLoop, type Database, type DialectName } from '../../db/index.js';
import { DEFAULT_RETRY_POLICY, nextRetryDelay, type RetryPolicy } from './backoff.js';
import { chunks } from './chunks.js';
import { claimJobs, completeJobs, extendLeases, failJob, type PushJob } from './job-queue.js';

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

export interface BatchContext {
  /** The worker holding the jobs' leases; a batch processor fences its writes with it (markBatch). */
  readonly workerId: string;
}

/**
 * Several jobs of one organisation and realm at once (a bulk push), so they can share QBO batch calls and
 * party lookups. Answers an outcome per job id; a job left out counts as an internal failure.
 */
export type BatchProcessor = (jobs: readonly PushJob[], context: BatchContext) => Promise<ReadonlyMap<string, JobOutcome>>;

export interface WorkerOptions {
  db: Kysely<Database>;
  dialect: DialectName;
  workerId: string;
  process: JobProcessor;
  /** Jobs of one org and realm claimed together go here, up to `size` at a time. */
  batch?: { process: BatchProcessor; size: number } | undefined;
  /** Units (single jobs or batches) processed at once by this worker. */
  concurrency?: number;
  leaseMs?: number;
  pollMs?: number;
  retryPolicy?: RetryPolicy;
  now?: () => Date;
  onError?: (err: unknown) => void;
  /** After a job's new state is committed (progress streams listen here for a quicker update). */
  onSettled?: (job: PushJob, outcome: JobOutcome) => void;
  /** Realms not to claim new jobs for right now (at their QBO budget; see realm-gate.ts). */
  busyRealms?: () => readonly string[];
}

export interface Worker {
  readonly workerId: string;
  /** Claims one round of due jobs and settles them all; returns how many it handled. */
  tick(): Promise<number>;
  /**
   * Claims and settles just these jobs now, if they are due and no other worker holds them; returns how many
   * it handled. A single push the user waits on runs here instead of waiting for the next poll.
   */
  runNow(jobIds: readonly string[]): Promise<number>;
  /** Something was queued: look now instead of at the next poll. */
  wake(): void;
  start(): void;
  /** Stops claiming and waits for the jobs in hand to settle. */
  stop(): Promise<void>;
}

type Unit = readonly PushJob[];

function internalFailure(message: string): JobOutcome {
  return { status: 'failed', code: 'internal_error', message, retryable: false, definitiveRejection: false };
}

export function createWorker(opts: WorkerOptions): Worker {
  const concurrency = opts.concurrency ?? 4;
  const leaseMs = opts.leaseMs ?? 120_000;
  const pollMs = opts.pollMs ?? 500;
  const policy = opts.retryPolicy ?? DEFAULT_RETRY_POLICY;
  const now = opts.now ?? (() => new Date());
  const report = (err: unknown): void => opts.onError?.(err);
  let running = false;
  let loop: Promise<void> | undefined;
  let wakeLoop: (() => void) | undefined;
  let wakeRequested = false;
  let active = 0;
  const backlog: Unit[] = [];
  const inFlight = new Set<Promise<void>>();

  async function settleFailure(job: PushJob, outcome: JobOutcome & { status: 'failed' }): Promise<void> {
    const at = now();
    // Being told to slow down (a 429, or our realm gate holding the call back) is no fault of the job.
    const throttled = outcome.code === 'qbo_rate_limited';
    const delay = outcome.retryable
      ? nextRetryDelay(policy, {
          attempts: throttled ? Math.max(1, job.streak_attempts - 1) : job.streak_attempts,
          elapsedMs: at.getTime() - new Date(job.streak_started_at ?? job.created_at).getTime(),
          retryAfterMs: outcome.retryAfterMs,
        })
      : undefined;
    const failure = {
      code: outcome.code,
      message: outcome.message,
      detail: outcome.detail,
      retryAt: delay === undefined ? undefined : new Date(at.getTime() + delay),
      definitiveRejection: outcome.definitiveRejection,
      countsTowardRetries: !throttled,
    };
    if (await failJob(opts.db, job.id, opts.workerId, failure, at)) opts.onSettled?.(job, outcome);
  }

  /** The pushed jobs of a unit in one commit. */
  async function completeAll(pushed: readonly { job: PushJob; outcome: JobOutcome & { status: 'pushed' } }[]): Promise<void> {
    if (pushed.length === 0) return;
    try {
      const settled = new Set(await completeJobs(opts.db, opts.workerId, pushed.map(({ job, outcome }) => ({ jobId: job.id, qboId: outcome.qboId })), now()));
      for (const { job, outcome } of pushed) if (settled.has(job.id)) opts.onSettled?.(job, outcome);
    } catch (err) {
      report(err);
    }
  }

  async function outcomesFor(unit: Unit): Promise<ReadonlyMap<string, JobOutcome>> {
    try {
      const [only] = unit;
      if (unit.length === 1 && only !== undefined && only.batch_request_id === null) {
        return new Map([[only.id, await opts.process(only)]]);
      }
      if (!opts.batch) throw new Error('a batched job reached a worker without a batch processor');
      return await opts.batch.process(unit, { workerId: opts.workerId });
    } catch (err) {
      // A bug in processing must not strand jobs in 'pushing': fail them visibly instead.
      const outcome = internalFailure(err instanceof Error ? err.message : String(err));
      return new Map(unit.map((job) => [job.id, outcome]));
    }
  }

  /**
   * Every job this worker claimed and has not settled, waiting in the backlog or running: their leases are renewed
   * while QBO is slow or the backlog long, so a live worker's job is never taken over (and run twice); a dead
   * worker stops renewing.
   */
  const held = new Set<string>();
  let heartbeat: ReturnType<typeof setInterval> | undefined;

  function hold(jobs: readonly PushJob[]): void {
    for (const job of jobs) held.add(job.id);
    if (heartbeat !== undefined || held.size === 0) return;
    heartbeat = setInterval(() => {
      extendLeases(opts.db, [...held], opts.workerId, new Date(now().getTime() + leaseMs)).catch(report);
    }, Math.max(50, Math.floor(leaseMs / 3)));
    heartbeat.unref();
  }

  function letGo(jobId: string): void {
    held.delete(jobId);
    if (held.size > 0 || heartbeat === undefined) return;
    clearInterval(heartbeat);
    heartbeat = undefined;
  }

  async function runUnit(unit: Unit): Promise<void> {
    try {
      const outcomes = await outcomesFor(unit);
      const settled = unit.map((job) => ({ job, outcome: outcomes.get(job.id) ?? internalFailure('the batch processor gave no outcome for this job') }));
      await completeAll(settled.flatMap(({ job, outcome }) => (outcome.status === 'pushed' ? [{ job, outcome }] : [])));
      for (const { job, outcome } of settled) {
        if (outcome.status === 'pushed') continue;
        if (unit.length > 1) await yieldToEventLoop();
        try {
          await settleFailure(job, outcome);
        } catch (err) {
          // The lease runs out and another attempt takes the job: a failed commit loses nothing.
          report(err);
        }
      }
    } finally {
      for (const job of unit) letGo(job.id);
    }
  }

  /**
   * Jobs of one org and realm on their first claim go to the batch processor together; a job already sent in a
   * batch goes back with that batch (so QBO can replay it); any other job alone, under its own requestid.
   */
  function unitsOf(jobs: readonly PushJob[]): Unit[] {
    if (!opts.batch) return jobs.map((job) => [job]);
    const size = opts.batch.size;
    const groups = new Map<string, PushJob[]>();
    const units: Unit[] = [];
    for (const job of jobs) {
      let key: string;
      if (job.batch_request_id !== null) key = `replay\u0000${job.batch_request_id}`;
      else if (job.request_id_claims === 1) key = `fresh\u0000${job.org_id}\u0000${job.realm_id}`;
      else {
        units.push([job]);
        continue;
      }
      const group = groups.get(key) ?? [];
      group.push(job);
      groups.set(key, group);
    }
    for (const group of groups.values()) {
      units.push(...chunks(group, size));
    }
    return units;
  }

  function pump(): void {
    while (active < concurrency && backlog.length > 0) {
      const unit = backlog.shift();
      if (unit === undefined) return;
      active += 1;
      const done = runUnit(unit).finally(() => {
        active -= 1;
        inFlight.delete(done);
        pump();
        wakeLoop?.();
      });
      inFlight.add(done);
    }
  }

  async function claim(limit: number, jobIds?: readonly string[]): Promise<PushJob[]> {
    const busy = jobIds === undefined ? (opts.busyRealms?.() ?? []) : [];
    const jobs = await claimJobs(opts.db, opts.dialect, {
      workerId: opts.workerId,
      limit,
      leaseMs,
      now: now(),
      ...(jobIds === undefined ? {} : { jobIds }),
      ...(busy.length > 0 ? { excludeRealms: busy } : {}),
    });
    hold(jobs);
    return jobs;
  }

  /** Settles these jobs on their own lanes, apart from the background loop's backlog. */
  async function runAll(jobs: readonly PushJob[]): Promise<number> {
    const units = unitsOf(jobs);
    let next = 0;
    const lane = async (): Promise<void> => {
      for (let unit = units[next++]; unit !== undefined; unit = units[next++]) await runUnit(unit);
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, units.length) }, lane));
    return jobs.length;
  }

  function claimSize(): number {
    return opts.batch ? Math.max(opts.batch.size, concurrency - active) : concurrency - active;
  }

  async function run(): Promise<void> {
    while (running) {
      let claimed = 0;
      if (active < concurrency && backlog.length === 0) {
        try {
          const jobs = await claim(claimSize());
          claimed = jobs.length;
          backlog.push(...unitsOf(jobs));
          pump();
        } catch (err) {
          report(err);
        }
      }
      if (!running) break;
      const idle = claimed === 0 || active >= concurrency;
      if (idle && !wakeRequested) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollMs);
          wakeLoop = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      wakeLoop = undefined;
      wakeRequested = false;
    }
  }

  return {
    workerId: opts.workerId,
    async tick() {
      return runAll(await claim(claimSize()));
    },
    async runNow(jobIds) {
      if (jobIds.length === 0) return 0;
      return runAll(await claim(jobIds.length, jobIds));
    },
    wake() {
      wakeRequested = true;
      wakeLoop?.();
    },
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    async stop() {
      running = false;
      wakeLoop?.();
      await loop;
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}
