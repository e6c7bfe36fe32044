import type { Migration } from 'kysely';
import { migration001Core } from './001_core.js';
import { migration002QboConnection } from './002_qbo_connection.js';
import { migration003PushQueue } from './003_push_queue.js';
import { migration004QboMapping } from './004_qbo_mapping.js';

/** Ordered by name; never rename or edit one that has shipped — add a new one. */
export const migrations: Record<string, Migration> = {
  '001_core': migration001Core,
  '002_qbo_connection': migration002QboConnection,
  '003_push_queue': migration003PushQueue,
  '004_qbo_mapping': migration004QboMapping,
};
