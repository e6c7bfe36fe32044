import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/index.js';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
