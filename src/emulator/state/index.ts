export { EmulatorStore, type EmulatorStoreOptions } from './store.js';
export { SEED_COMPANIES, seedRealm, type SeedOptions } from './seed.js';
export { qboDate, qboDateTime, qboResponseTime } from './time.js';
export {
  ENTITY_NAMES,
  asString,
  isRecord,
  refValue,
  type CompanySettings,
  type EntityName,
  type QboRecord,
  type RealmState,
  type StoreSnapshot,
} from './types.js';
