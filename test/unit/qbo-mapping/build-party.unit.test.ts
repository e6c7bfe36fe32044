import { describe, expect, it } from 'vitest';
import { EMPTY_ADDRESS } from '../../../src/domain/parties.js';
import { buildCustomer, buildVendor, qboDisplayName } from '../../../src/qbo/mapping/index.js';
import { expectErr, expectOk } from './fixtures.js';

const address = { line1: '12 Harbour St', city: 'Toronto', region: 'ON', postalCode: 'M5J 2L1', country: 'Canada' };

describe('buildCustomer', () => {
  it('uses clientInformation.name (not fullName), trimmed, with email, phone and billing address', () => {
    const payload = expectOk(
      buildCustomer({
        clientInformation: { name: "  O'Brien & Sons Interiors ", email: 'kate@obrien.test', phone: '+1 416 555 0100', billingAddress: address },
      }),
    );
    expect(payload).toStrictEqual({
      DisplayName: "O'Brien & Sons Interiors",
      PrimaryEmailAddr: { Address: 'kate@obrien.test' },
      PrimaryPhone: { FreeFormNumber: '+1 416 555 0100' },
      BillAddr: { Line1: '12 Harbour St', City: 'Toronto', CountrySubDivisionCode: 'ON', PostalCode: 'M5J 2L1', Country: 'Canada' },
    });
  });

  it('ignores fullName even when the client has one', () => {
    const client = { fullName: 'Katherine Mary O’Brien', clientInformation: { name: 'OBrien Studio', email: '', phone: '', billingAddress: EMPTY_ADDRESS } };
    const json = JSON.stringify(expectOk(buildCustomer(client)));
    expect(json).toContain('"DisplayName":"OBrien Studio"');
    expect(json).not.toContain('Katherine');
  });

  it('leaves out empty contact fields and an empty address', () => {
    const payload = expectOk(buildCustomer({ clientInformation: { name: 'Ada', email: ' ', phone: '', billingAddress: { ...EMPTY_ADDRESS, city: 'Lyon' } } }));
    expect(payload).toStrictEqual({ DisplayName: 'Ada', BillAddr: { City: 'Lyon' } });
  });

  it("replaces ':' (QBO's sub-customer separator) with '-' and keeps everything else", () => {
    expect(qboDisplayName(' Studio: West ')).toBe('Studio- West');
    expect(qboDisplayName('10:30 Design')).toBe('10-30 Design');
    const payload = expectOk(buildCustomer({ clientInformation: { name: 'Acme: North', email: '', phone: '', billingAddress: EMPTY_ADDRESS } }));
    expect(payload.DisplayName).toBe('Acme- North');
  });

  it('refuses an empty or over-long name as "Customer not found", naming the field', () => {
    const empty = expectErr(buildCustomer({ clientInformation: { name: '   ', email: '', phone: '', billingAddress: EMPTY_ADDRESS } }));
    expect(empty).toEqual([expect.objectContaining({ kind: 'customer_not_found', field: 'clientInformation.name' })]);
    const long = expectErr(buildCustomer({ clientInformation: { name: 'x'.repeat(501), email: '', phone: '', billingAddress: EMPTY_ADDRESS } }));
    expect(long[0]?.message).toContain('501 characters');
    expect(expectOk(buildCustomer({ clientInformation: { name: 'y'.repeat(500), email: '', phone: '', billingAddress: EMPTY_ADDRESS } })).DisplayName).toHaveLength(500);
  });

  it('takes the conflict DisplayName when given, and builds a sparse update for an existing record', () => {
    const client = { clientInformation: { name: 'Smith Design', email: 'a@b.test', phone: '', billingAddress: EMPTY_ADDRESS } };
    expect(expectOk(buildCustomer(client, { displayName: 'Smith Design (Customer)' })).DisplayName).toBe('Smith Design (Customer)');
    expect(expectOk(buildCustomer(client, { existing: { Id: '58', SyncToken: '3' } }))).toStrictEqual({
      Id: '58',
      SyncToken: '3',
      sparse: true,
      DisplayName: 'Smith Design',
      PrimaryEmailAddr: { Address: 'a@b.test' },
    });
  });
});

describe('buildVendor', () => {
  it('builds a vendor from the Workroom vendor record', () => {
    const payload = expectOk(buildVendor({ name: ' Kravet:Fabrics ', email: 'orders@kravet.test', phone: '800-555-0199', address }));
    expect(payload).toStrictEqual({
      DisplayName: 'Kravet-Fabrics',
      PrimaryEmailAddr: { Address: 'orders@kravet.test' },
      PrimaryPhone: { FreeFormNumber: '800-555-0199' },
      BillAddr: { Line1: '12 Harbour St', City: 'Toronto', CountrySubDivisionCode: 'ON', PostalCode: 'M5J 2L1', Country: 'Canada' },
    });
  });

  it('refuses a nameless vendor as "Vendor not found"', () => {
    expect(expectErr(buildVendor({ name: '', email: '', phone: '', address: EMPTY_ADDRESS }))).toEqual([
      expect.objectContaining({ kind: 'vendor_not_found', field: 'name' }),
    ]);
  });
});
