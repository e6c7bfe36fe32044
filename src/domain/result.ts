/** Outcomes that are expected failures (a rule said no) travel as values; exceptions are for bugs. */
export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };

export const Ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const Err = <E>(error: E): Result<never, E> => ({ ok: false, error });

/** A domain rule violation tied to the input field that caused it ("lines.0.taxCodeId"). */
export interface RuleViolation {
  field: string;
  message: string;
}
