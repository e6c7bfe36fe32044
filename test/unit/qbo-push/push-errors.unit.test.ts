import { describe, expect, it } from 'vitest';
import { QBO_ERROR_CODES, QboError, type QboErrorCode } from '../../../src/qbo/client/index.js';
import type { MappingProblem } from '../../../src/qbo/mapping/index.js';
import { jobOutcomeOf } from '../../../src/qbo/sync/push-processor.js';
import {
  failureFromProblems,
  failureFromQboError,
  headedFailureMessage,
  partyFieldFor,
  titleForQboError,
} from '../../../src/qbo/sync/push-errors.js';

const qboError = (init: Partial<ConstructorParameters<typeof QboError>[0]> & { code: QboErrorCode }) =>
  new QboError({ message: 'A business validation error has occurred while processing your request', ...init });

describe('titleForQboError: QBO refusals filed under the help page headings', () => {
  it.each([
    [{ code: 'qbo_invalid_reference', qboCode: '2500', message: 'Invalid Reference Id', detail: 'Invalid Reference Id : Line.SalesItemLineDetail.TaxCodeRef', element: 'Line.SalesItemLineDetail.TaxCodeRef' }, 'Tax code mismatch'],
    [{ code: 'qbo_business_validation', qboCode: '6000', detail: 'Business Validation Error: Make sure all your transactions have a GST/HST rate before you save.' }, 'Tax code mismatch'],
    [{ code: 'qbo_validation', qboCode: '6100', message: 'Invalid Line TaxCode in the request', detail: 'Valid Line TaxCodes for US should be TAX or NON. Supplied value:5' }, 'Tax code mismatch'],
    [{ code: 'qbo_invalid_reference', qboCode: '2500', message: 'Invalid Reference Id', detail: 'Invalid Reference Id : Line.AccountBasedExpenseLineDetail.AccountRef', element: 'Line.AccountBasedExpenseLineDetail.AccountRef' }, 'Account not specified for line item'],
    [{ code: 'qbo_business_validation', qboCode: '6000', detail: 'Business Validation Error: Select an income account for this item.' }, 'Account not specified for line item'],
    [{ code: 'qbo_invalid_reference', qboCode: '2500', message: 'Invalid Reference Id', detail: 'Invalid Reference Id : CustomerRef', element: 'CustomerRef' }, 'Customer not found'],
    [{ code: 'qbo_required_param_missing', qboCode: '2020', detail: 'Required parameter VendorRef is missing in the request', element: 'VendorRef' }, 'Vendor not found'],
    [{ code: 'qbo_duplicate_doc_number', qboCode: '6140', message: 'Duplicate Document Number Error', detail: 'DocNumber=INV-1001 is assigned to TxnType=Invoice' }, 'QuickBooks refused the push'],
    [{ code: 'qbo_rate_limited', qboCode: '3001', message: 'message=ThrottleExceeded' }, 'QuickBooks unavailable'],
    [{ code: 'qbo_needs_reconnect', message: 'QuickBooks is not connected.' }, 'QuickBooks needs reconnecting'],
    // 610's detail lists accounts among every other kind of record: it must not read as a missing account.
    [{ code: 'qbo_not_found', qboCode: '610', message: 'Object Not Found', detail: "Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees." }, 'Record missing or inactive in QuickBooks'],
    [{ code: 'qbo_not_found', qboCode: '610', message: 'Object Not Found', detail: 'Object Not Found', element: 'Line.SalesItemLineDetail.ItemRef' }, 'Account not specified for line item'],
  ] as const)('%j → %s', (init, title) => {
    expect(titleForQboError(qboError(init))).toBe(title);
  });

  it('puts a failed customer or vendor create under its party heading', () => {
    const dup = qboError({ code: 'qbo_duplicate_name', qboCode: '6240', message: 'Duplicate Name Exists Error', detail: 'The name supplied already exists.' });
    expect(titleForQboError(dup, 'customer')).toBe('Customer not found');
    expect(titleForQboError(dup, 'vendor')).toBe('Vendor not found');
    const gone = qboError({ code: 'qbo_not_found', qboCode: '610', message: 'Object Not Found', detail: 'Check the fields with accounts, customers, items' });
    expect(titleForQboError(gone, 'customer')).toBe('Customer not found');
  });
});

describe('failureFromQboError: what the worker does next', () => {
  it.each(QBO_ERROR_CODES.map((code) => [code] as const))('%s', (code) => {
    const failure = failureFromQboError(qboError({ code, qboCode: '123', detail: 'the detail', element: 'Line' }));
    const transient = ['qbo_rate_limited', 'qbo_service_unavailable', 'qbo_timeout', 'qbo_network', 'qbo_auth_failed'].includes(code);
    expect(failure.retryable).toBe(transient);
    // Only a refusal QBO made for sure lets the requestid be replaced.
    expect(failure.definitiveRejection).toBe(!transient && !['qbo_needs_reconnect', 'qbo_unexpected_response', 'qbo_batch_item_unanswered'].includes(code));
    expect(failure).toMatchObject({ code, qboCode: '123', detail: 'the detail', element: 'Line' });
  });

  it('keeps QBO’s message verbatim and carries Retry-After', () => {
    const failure = failureFromQboError(qboError({ code: 'qbo_rate_limited', message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429', retryAfterMs: 60_000 }));
    expect(failure).toMatchObject({ message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429', retryAfterMs: 60_000 });
  });
});

describe('failureFromProblems', () => {
  const problems: MappingProblem[] = [
    { kind: 'account_not_specified', role: 'income', lineIndexes: [0], categoryId: null, vendorId: null, message: 'Account not specified for line item: line 1 …' },
    { kind: 'tax_code_mismatch', workroomTaxCodeId: 'tc', lineIndexes: [1], message: 'Tax code mismatch: Workroom tax code "ON HST" …' },
  ];

  it('reports every problem, filed under the first one’s heading, as a definite refusal', () => {
    expect(failureFromProblems(problems)).toMatchObject({
      code: 'account_not_specified',
      title: 'Account not specified for line item',
      message: 'Account not specified for line item: line 1 …\nTax code mismatch: Workroom tax code "ON HST" …',
      retryable: false,
      definitiveRejection: true,
    });
  });

  it('names the field that blocks creating a customer', () => {
    const failure = failureFromProblems([{ kind: 'customer_not_found', field: 'clientInformation.name', message: 'Customer not found: …' }]);
    expect(failure).toMatchObject({ title: 'Customer not found', element: 'clientInformation.name' });
  });
});

describe('partyFieldFor: which Workroom field QBO refused', () => {
  it.each([
    [{ element: 'PrimaryEmailAddr.Address', message: 'Invalid Email' }, 'customer', 'clientInformation.email'],
    [{ element: 'BillAddr.PostalCode', message: 'Invalid postal code' }, 'customer', 'clientInformation.billingAddress.postalCode'],
    [{ element: 'DisplayName', message: 'Invalid name' }, 'customer', 'clientInformation.name'],
    [{ message: 'Invalid phone number format' }, 'customer', 'clientInformation.phone'],
    [{ element: 'BillAddr.City', message: 'too long' }, 'vendor', 'address.city'],
    [{ element: 'PrimaryEmailAddr', message: 'Invalid Email' }, 'vendor', 'email'],
  ] as const)('%j (%s) → %s', (init, role, field) => {
    expect(partyFieldFor(qboError({ code: 'qbo_validation', ...init }), role)).toBe(field);
  });

  it('is undefined when QBO gives no clue', () => {
    expect(partyFieldFor(qboError({ code: 'qbo_validation', message: 'Request has invalid or unsupported property' }), 'customer')).toBeUndefined();
  });
});

describe('the Sync Center’s view of a failure', () => {
  it('heads the message once and keeps QBO’s code in the detail', () => {
    const failure = failureFromQboError(
      qboError({ code: 'qbo_invalid_reference', qboCode: '2500', message: 'Invalid Reference Id', detail: 'Invalid Reference Id : Line.SalesItemLineDetail.TaxCodeRef' }),
    );
    expect(jobOutcomeOf(failure)).toEqual({
      status: 'failed',
      code: 'qbo_invalid_reference',
      message: 'Tax code mismatch: Invalid Reference Id',
      detail: 'QuickBooks error 2500: Invalid Reference Id : Line.SalesItemLineDetail.TaxCodeRef',
      retryable: false,
      retryAfterMs: undefined,
      definitiveRejection: true,
    });
    expect(headedFailureMessage({ title: 'Tax code mismatch', message: 'Tax code mismatch: already headed' })).toBe('Tax code mismatch: already headed');
  });
});
