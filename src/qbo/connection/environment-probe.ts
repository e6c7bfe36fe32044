import {
  err,
  InProcessRealmLimiter,
  ok,
  QBO_ENVIRONMENTS,
  QboClient,
  QboError,
  type QboEnvironment,
  type QboPlatform,
  type QboTransport,
  type Result,
} from '../client/index.js';

export interface ProbeInput {
  readonly platform: QboPlatform;
  readonly transport: QboTransport;
  readonly realmId: string;
  readonly accessToken: string;
}

/**
 * A realm answers only on its own environment's host, so asking each host for CompanyInfo tells us
 * which one it lives on. Production is asked first; the answer is stored on the connection for good.
 */
export async function probeEnvironment(input: ProbeInput): Promise<Result<QboEnvironment, QboError>> {
  const failures: QboError[] = [];
  for (const environment of QBO_ENVIRONMENTS) {
    const client = new QboClient({
      platform: input.platform,
      environment,
      realmId: input.realmId,
      getAccessToken: () => Promise.resolve(input.accessToken),
      transport: input.transport,
      limiter: new InProcessRealmLimiter(),
      retryPolicy: { maxAttempts: 1 },
    });
    try {
      await client.companyInfo();
      return ok(environment);
    } catch (error) {
      if (!(error instanceof QboError)) throw error;
      failures.push(error);
    }
  }
  // A host that was down proves nothing about where the realm lives: report that, so the caller retries.
  const transient = failures.find((f) => f.retryable);
  if (transient !== undefined) return err(transient);
  return err(
    new QboError({
      code: 'qbo_environment_unknown',
      message: `Company ${input.realmId} answered on neither production nor sandbox`,
      detail: failures.map((f) => `${f.code}${f.status === undefined ? '' : ` (${f.status})`}: ${f.message}`).join('; '),
      cause: failures,
    }),
  );
}
