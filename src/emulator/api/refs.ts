import { asString, refValue, type EntityName, type QboRecord, type RealmState } from '../state/index.js';
import { faults } from './faults.js';

/**
 * What one write can see. Inside a batch, records created by earlier operations of the same batch are
 * hidden (Intuit blog 2017-07-27 "batch operations"): a reference to them fails like a reference to nothing.
 */
export interface WriteScope {
  realm: RealmState;
  nowMs: number;
  hidden: ReadonlySet<string>;
  allowDuplicateDocNum: boolean;
}

export function hiddenKey(entity: EntityName, id: string): string {
  return `${entity}:${id}`;
}

export function findVisible(scope: WriteScope, entity: EntityName, id: string): QboRecord | undefined {
  if (scope.hidden.has(hiddenKey(entity, id))) return undefined;
  return scope.realm.entities[entity][id];
}

/** Resolves a required reference: missing → 2020, unknown → 2500, inactive → 610. */
export function resolveRef(scope: WriteScope, entity: EntityName, ref: unknown, element: string): QboRecord {
  const id = refValue(ref);
  if (id === undefined || id === '') throw faults.requiredParam(element);
  const record = findVisible(scope, entity, id);
  if (!record) throw faults.invalidReference(element);
  if (record['Active'] === false) throw faults.objectNotFound();
  return record;
}

export function refTo(record: QboRecord, nameField: 'Name' | 'DisplayName'): { value: string; name: string } {
  return { value: asString(record['Id']) ?? '', name: asString(record[nameField]) ?? '' };
}
