import type { RuleViolation } from '../result.js';

/** Why a store operation did not happen; the HTTP layer maps each kind to one status. */
export type StoreFailure =
  | { kind: 'not_found' }
  | { kind: 'invalid'; violations: RuleViolation[] }
  | { kind: 'conflict'; field?: string; message: string }
  | { kind: 'invalid_transition'; message: string }
  | { kind: 'forbidden'; message: string };

export const notFound: StoreFailure = { kind: 'not_found' };

/** Both drivers report a unique-constraint violation differently; callers only need "was it one?". */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
