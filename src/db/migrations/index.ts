import type { Migration } from 'kysely';
import { migration001Core } from './001_core.js';
import { migration002QboConnection } from './002_qbo_connection.js';
import { migration003PushQueue } from './003_push_queue.js';
import { migration004QboMapping } from './004_qbo_mapping.js';
import { migration005DocumentPushes } from './005_document_pushes.js';
import { migration006SyncCenter } from './006_sync_center.js';
import { migration007Security } from './007_security.js';
import { migration008MonthEnd } from './008_month_end.js';
import { migration009PendingCreates } from './009_pending_creates.js';
import { migration010CategoryNames } from './010_category_names.js';
import { migration011UserRemoval } from './011_user_removal.js';

/** Ordered by name; never rename or edit one that has shipped — add a new one. */
export const migrations: Record<string, Migration> = {
  '001_core': migration001Core,
  '002_qbo_connection': migration002QboConnection,
  '003_push_queue': migration003PushQueue,
  '004_qbo_mapping': migration004QboMapping,
  '005_document_pushes': migration005DocumentPushes,
  '006_sync_center': migration006SyncCenter,
  '007_security': migration007Security,
  '008_month_end': migration008MonthEnd,
  '009_pending_creates': migration009PendingCreates,
  '010_category_names': migration010CategoryNames,
  '011_user_removal': migration011UserRemoval,
};
