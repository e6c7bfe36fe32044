import type { z } from 'zod';
import { QboError } from '../errors.js';
import { QBO_ENTITY_SCHEMAS, type QboEntity, type QboEntityName } from './entities.js';

/** A response that does not match its schema is contract drift, reported as such rather than half-read. */
export function parseWire<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue === undefined ? '' : ` at ${issue.path.join('.') || '(root)'}: ${issue.message}`;
  throw new QboError({
    code: 'qbo_unexpected_response',
    message: `Unexpected ${what} response from QuickBooks${where}`,
    cause: parsed.error,
  });
}

export function parseEntity<N extends QboEntityName>(entity: N, value: unknown): QboEntity<N> {
  const schema: z.ZodType<QboEntity<N>> = QBO_ENTITY_SCHEMAS[entity];
  return parseWire(schema, value, entity);
}
