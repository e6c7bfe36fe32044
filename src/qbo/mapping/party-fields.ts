import type { Address } from '../../domain/parties.js';
import { QBO_DISPLAY_NAME_MAX, qboDisplayName } from './display-name.js';
import type { QboAddressOut, QboPartyPayload, QboUpdateTarget } from './wire-out.js';

export interface PartyFields {
  readonly name: string;
  readonly email: string;
  readonly phone: string;
  readonly address: Address;
}

export interface PartyOptions {
  /** Replaces the DisplayName derived from the name, e.g. "<name> (Customer)" after a 6240 conflict. */
  readonly displayName?: string;
  /** The QBO record to update instead of creating one. */
  readonly existing?: QboUpdateTarget;
}

export type PartyNameProblem = { readonly field: 'name'; readonly message: string };

function billAddr(address: Address): QboAddressOut | undefined {
  const out: Record<string, string> = {};
  const put = (key: keyof QboAddressOut, value: string) => {
    const v = value.trim();
    if (v !== '') out[key] = v;
  };
  put('Line1', address.line1);
  put('City', address.city);
  put('CountrySubDivisionCode', address.region);
  put('PostalCode', address.postalCode);
  put('Country', address.country);
  return Object.keys(out).length === 0 ? undefined : out;
}

/**
 * Customer and Vendor share their contact fields. Empty fields are left out rather than sent blank. An update
 * is sparse: Workroom owns the name and contact details, while terms, notes or payment settings kept in QBO
 * must survive a re-push (a full update would wipe every field not sent).
 */
export function partyPayload(fields: PartyFields, options: PartyOptions): QboPartyPayload | PartyNameProblem {
  const displayName = qboDisplayName(options.displayName ?? fields.name);
  if (displayName === '') return { field: 'name', message: 'the name is empty, and QuickBooks needs a display name' };
  if (displayName.length > QBO_DISPLAY_NAME_MAX) {
    return { field: 'name', message: `the name has ${displayName.length} characters; QuickBooks allows at most ${QBO_DISPLAY_NAME_MAX}` };
  }
  const email = fields.email.trim();
  const phone = fields.phone.trim();
  const address = billAddr(fields.address);
  return {
    ...(options.existing === undefined ? {} : { Id: options.existing.Id, SyncToken: options.existing.SyncToken, sparse: true }),
    DisplayName: displayName,
    ...(email === '' ? {} : { PrimaryEmailAddr: { Address: email } }),
    ...(phone === '' ? {} : { PrimaryPhone: { FreeFormNumber: phone } }),
    ...(address === undefined ? {} : { BillAddr: address }),
  };
}

export function isNameProblem(value: QboPartyPayload | PartyNameProblem): value is PartyNameProblem {
  return 'field' in value;
}
