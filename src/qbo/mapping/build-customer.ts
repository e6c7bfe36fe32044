import type { Client } from '../../domain/model.js';
import { err, ok, type Result } from '../client/index.js';
import { isNameProblem, partyPayload, type PartyOptions } from './party-fields.js';
import type { MappingProblem } from './problems.js';
import type { QboCustomerPayload } from './wire-out.js';

/**
 * Workroom client → QBO Customer body. The name is `clientInformation.name`, never `fullName` (the help page's
 * gotcha), trimmed and with ':' made QBO-safe by qboDisplayName; apostrophes and '&' are sent as typed.
 * https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/customer
 */
export function buildCustomer(
  client: Pick<Client, 'clientInformation'>,
  options: PartyOptions = {},
): Result<QboCustomerPayload, MappingProblem[]> {
  const info = client.clientInformation;
  const payload = partyPayload(
    { name: info.name, email: info.email, phone: info.phone, address: info.billingAddress },
    options,
  );
  if (isNameProblem(payload)) {
    return err([
      {
        kind: 'customer_not_found',
        field: 'clientInformation.name',
        message: `Customer not found: QuickBooks cannot create the customer because clientInformation.name is not usable: ${payload.message}`,
      },
    ]);
  }
  return ok(payload);
}
