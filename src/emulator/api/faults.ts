/**
 * QBO's error bodies, with the codes and texts as seen in real responses. Sources (search tool):
 * - 2500 Invalid Reference Id, Detail "Invalid Reference Id : Line.SalesItemLineDetail.ItemRef":
 *   intuit/QuickBooks-V3-PHP-SDK#102; inactive variant #110.
 * - 610 Object Not Found "… has been made inactive …": intuit/QuickBooks-V3-DotNET-SDK#353.
 * - 2020 "Required param missing, need to supply the required value for the API" / "Required parameter Line is
 *   missing in the request": routablehq/python-quickbooks#257.
 * - 5010 Stale Object Error Detail: routablehq/python-quickbooks#127, QuickBooks-V3-DotNET-SDK#366.
 * - 6240 Duplicate Name Exists Error Detail: intuit/QuickBooks-V3-PHP-SDK#241.
 * - 6140 Detail "… DocNumber=X is assigned to TxnType=Invoice with TxnId=Y": Clio help "QuickBooks Error Code 6140".
 * - 6070 "Amount calculation incorrect in the request" / "Amount is not equal to Qty * UnitPrice. Supplied value:X",
 *   6100 "Invalid Line TaxCode in the request" / "Valid Line TaxCodes for US should be TAX or NON. Supplied value:X",
 *   6080 "No Name Provided", 1040 batch size: Intuit IPP error code table (quickbooksrepairpro.com mirror).
 * - 6000 "Make sure all your transactions have a GST/HST rate before you save.": ruckus/quickbooks-ruby#351,
 *   activepieces/activepieces#8539.
 * - 4000 "Error parsing query" / "QueryParserError: …": consolibyte/quickbooks-php#129, mcohen01/node-quickbooks#56.
 * - 4001 "Invalid query" / "QueryValidationError: value N is too large. Max allowed value is 1000": ruckus/quickbooks-ruby#24
 *   (texts; the code is the closest documented one).
 * - 2050 string length "… Min:0 Max:21 supported. Supplied length:N" (an invoice DocNumber): consolibyte/quickbooks-php#79.
 * - 3001 ThrottleExceeded body: intuit/QuickBooks-V3-PHP-SDK#54 (Intuit sends it as XML; the emulator sends JSON).
 * - 401 3200 and 403 3100 come from Intuit's API gateway in a different, lower-case envelope:
 *   routablehq/python-quickbooks#250 (3200), frappe/erpnext#29161 and minimul/qbo_api#138 (3100, the answer for a
 *   sandbox realm called on the production host).
 */
export interface FaultError {
  Message: string;
  Detail: string;
  code: string;
  element?: string;
}

export type FaultType = 'ValidationFault' | 'SystemFault' | 'SERVICE' | 'AuthenticationFault';

export class QboFault extends Error {
  constructor(
    readonly status: number,
    readonly type: FaultType,
    readonly errors: FaultError[],
  ) {
    super(errors.map((e) => `${e.code} ${e.Message}: ${e.Detail}`).join('; '));
  }
}

export function faultBody(fault: QboFault, time: string): Record<string, unknown> {
  return {
    Fault: {
      Error: fault.errors.map((e) => ({ Message: e.Message, Detail: e.Detail, code: e.code, element: e.element ?? '' })),
      type: fault.type,
    },
    time,
  };
}

function validation(code: string, message: string, detail: string, element = ''): QboFault {
  return new QboFault(400, 'ValidationFault', [{ Message: message, Detail: detail, code, element }]);
}

const INACTIVE_HINT =
  "Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees.";

export const faults = {
  requiredParam: (param: string) =>
    validation(
      '2020',
      'Required param missing, need to supply the required value for the API',
      `Required parameter ${param} is missing in the request`,
      param,
    ),
  stringTooLong: (element: string, max: number, supplied: number) =>
    validation(
      '2050',
      'String length is either shorter or longer than supported by specification',
      `String length specified does not match the supported length. Min:0 Max:${max} supported. Supplied length:${supplied}`,
      element,
    ),
  invalidReference: (element: string) => validation('2500', 'Invalid Reference Id', `Invalid Reference Id : ${element}`, element),
  objectNotFound: () => validation('610', 'Object Not Found', `Object Not Found : ${INACTIVE_HINT}`),
  staleObject: (lastEditor: string) =>
    validation(
      '5010',
      'Stale Object Error',
      `Stale Object Error : You and ${lastEditor} were working on this at the same time. ${lastEditor} finished before you did, so your work was not saved.`,
    ),
  duplicateName: () =>
    validation(
      '6240',
      'Duplicate Name Exists Error',
      'The name supplied already exists. : Another customer, vendor or employee is already using this name. Please use a different name.',
    ),
  duplicateDocNumber: (docNumber: string, txnType: string, txnId: string) =>
    validation(
      '6140',
      'Duplicate Document Number Error',
      `Duplicate Document Number Error : You must specify a different number. This number has already been used. DocNumber=${docNumber} is assigned to TxnType=${txnType} with TxnId=${txnId}`,
    ),
  amountMismatch: (supplied: string) =>
    validation('6070', 'Amount calculation incorrect in the request', `Amount is not equal to Qty * UnitPrice. Supplied value:${supplied}`),
  invalidUsLineTaxCode: (supplied: string) =>
    validation(
      '6100',
      'Invalid Line TaxCode in the request',
      `Valid Line TaxCodes for US should be TAX or NON. Supplied value:${supplied}`,
    ),
  noName: () =>
    validation('6080', 'No Name Provided', 'Title, GivenName, MiddleName, FamilyName, DisplayName, Suffix - one of these must be non-empty'),
  accountTypeMissing: () =>
    validation('6010', 'Invalid Account.AccountType && Account.SubType', 'Either an Account.AccountType or an Account.AccountSubType must be specified'),
  businessValidation: (detail: string) =>
    validation('6000', 'A business validation error has occurred while processing your request', `Business Validation Error: ${detail}`),
  invalidProperty: (detail: string) =>
    validation('2010', 'Request has invalid or unsupported property', `Property Name:${detail} specified is unsupported or invalid`),
  queryParse: (detail: string) => validation('4000', 'Error parsing query', `QueryParserError: ${detail}`),
  queryValidation: (detail: string) => validation('4001', 'Invalid query', `QueryValidationError: ${detail}`),
  batchTooLarge: (limit: number) =>
    validation('1040', 'Batch size exceeds allowed limit', `Batch size exceeds allowed limit. The batch limit size is ${limit}`),
  unsupportedOperation: (path: string) =>
    validation('500', 'Unsupported Operation', `Operation Could not find resource for relative : ${path} is not supported.`),
  throttled: () =>
    new QboFault(429, 'SERVICE', [
      { Message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429', Detail: 'The request limit was reached.  Try again later', code: '3001' },
    ]),
  systemFailure: () =>
    new QboFault(500, 'SystemFault', [
      {
        Message: 'An application error has occurred while processing your request',
        Detail:
          'System Failure Error: An unexpected error occurred while accessing or saving your data. Please wait a few minutes and try again. If the problem persists, contact customer support.',
        code: '10000',
      },
    ]),
};

/** The API gateway's envelope for 401/403, distinct from the Accounting service's `Fault` envelope. */
export function gatewayFaultBody(status: 401 | 403, detail: string | null, nowMs: number): Record<string, unknown> {
  const message =
    status === 401
      ? 'message=AuthenticationFailed; errorCode=003200; statusCode=401'
      : 'message=ApplicationAuthorizationFailed; errorCode=003100; statusCode=403';
  return {
    warnings: null,
    intuitObject: null,
    fault: {
      error: [{ message, detail, code: status === 401 ? '3200' : '3100', element: null }],
      type: status === 401 ? 'AUTHENTICATION' : 'SERVICE',
    },
    report: null,
    queryResponse: null,
    batchItemResponse: [],
    attachableResponse: [],
    syncErrorResponse: null,
    requestId: null,
    time: nowMs,
    status: null,
    cdcresponse: [],
  };
}
