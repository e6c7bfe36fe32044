import type { Vendor } from '../../domain/model.js';
import { err, ok, type Result } from '../client/index.js';
import { isNameProblem, partyPayload, type PartyOptions } from './party-fields.js';
import type { MappingProblem } from './problems.js';
import type { QboVendorPayload } from './wire-out.js';

/**
 * Workroom vendor → QBO Vendor body, with the same name rules as customers (DisplayName is unique across
 * customers, vendors and employees).
 * https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/vendor
 */
export function buildVendor(
  vendor: Pick<Vendor, 'name' | 'email' | 'phone' | 'address'>,
  options: PartyOptions = {},
): Result<QboVendorPayload, MappingProblem[]> {
  const payload = partyPayload(vendor, options);
  if (isNameProblem(payload)) {
    return err([
      {
        kind: 'vendor_not_found',
        field: 'name',
        message: `Vendor not found: QuickBooks cannot create the vendor because its name is not usable: ${payload.message}`,
      },
    ]);
  }
  return ok(payload);
}
