import { createHash } from 'node:crypto';
import { z } from 'zod';

// https://blogs.intuit.com/blog/2015/04/06/15346/ (requestid: ≤ 50 chars, ≤ 36 for batch)
export const RequestIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,50}$/, 'requestid must be 1-50 characters of [A-Za-z0-9._:-]')
  .brand<'QboRequestId'>();
export type RequestId = z.output<typeof RequestIdSchema>;

export const BATCH_REQUEST_ID_MAX = 36;

/**
 * A requestid that is the same every time the same logical write is attempted (e.g. job id + document
 * version), so a retry after a crash is answered with the original result instead of a second record.
 */
export function deriveRequestId(...parts: readonly string[]): RequestId {
  const digest = createHash('sha256').update(JSON.stringify(parts)).digest('base64url');
  return RequestIdSchema.parse(digest.slice(0, 32));
}
