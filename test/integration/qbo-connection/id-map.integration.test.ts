import { expect, it } from 'vitest';
import { QboIdMap } from '../../../src/qbo/connection/id-map.js';
import { describeEachDatabase } from '../../helpers/databases.js';
import { seedOrganisation } from './seed.js';

const REALM_A = '4620816365290212450';
const REALM_B = '4620816365290212468';

describeEachDatabase('qbo id map', (getDb) => {
  it('remembers per organisation and realm, and updates in place', async () => {
    const { db } = getDb();
    const map = new QboIdMap(db);
    const org = await seedOrganisation(db);
    const otherOrg = await seedOrganisation(db);

    await map.remember({ orgId: org, realmId: REALM_A }, 'customer', 'client-1', { qboId: '58', syncToken: '0' });
    await map.remember({ orgId: org, realmId: REALM_A }, 'customer', 'client-1', { qboId: '58', syncToken: '3' });

    expect(await map.lookup({ orgId: org, realmId: REALM_A }, 'customer', 'client-1')).toEqual({ qboId: '58', syncToken: '3' });
    expect(await map.lookup({ orgId: org, realmId: REALM_B }, 'customer', 'client-1')).toBeUndefined();
    expect(await map.lookup({ orgId: otherOrg, realmId: REALM_A }, 'customer', 'client-1')).toBeUndefined();
    expect(await map.lookup({ orgId: org, realmId: REALM_A }, 'vendor', 'client-1')).toBeUndefined();
  });

  it('looks up many at once within one realm', async () => {
    const { db } = getDb();
    const map = new QboIdMap(db);
    const org = await seedOrganisation(db);
    const scope = { orgId: org, realmId: REALM_A };
    await map.remember(scope, 'vendor', 'v1', { qboId: '7', syncToken: null });
    await map.remember(scope, 'vendor', 'v2', { qboId: '8', syncToken: '1' });
    await map.remember({ orgId: org, realmId: REALM_B }, 'vendor', 'v3', { qboId: '9', syncToken: null });

    const found = await map.lookupMany(scope, 'vendor', ['v1', 'v2', 'v3']);
    expect([...found.entries()].sort()).toEqual([
      ['v1', { qboId: '7', syncToken: null }],
      ['v2', { qboId: '8', syncToken: '1' }],
    ]);
    expect((await map.lookupMany(scope, 'vendor', [])).size).toBe(0);
  });
});
