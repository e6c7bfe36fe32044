/**
 * Request bodies as Workroom sends them. The client's wire schemas (src/qbo/client/wire) describe what QBO
 * answers, with loose objects and amounts parsed to decimal strings; these are the exact, closed shapes we
 * write, with JSON numbers already produced by toQboNumber. Type aliases (not interfaces) so they fit the
 * client's `QboWriteBody` record type.
 * https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/invoice
 */
export type QboRefOut = { readonly value: string; readonly name?: string };

/** A record already in QBO: an update must echo its Id and current SyncToken. */
export type QboUpdateTarget = { readonly Id: string; readonly SyncToken: string };

type UpdateFields = { readonly Id?: string; readonly SyncToken?: string; readonly sparse?: boolean };

export type QboAddressOut = {
  readonly Line1?: string;
  readonly City?: string;
  readonly CountrySubDivisionCode?: string;
  readonly PostalCode?: string;
  readonly Country?: string;
};

export type QboPartyPayload = UpdateFields & {
  readonly DisplayName: string;
  readonly PrimaryEmailAddr?: { readonly Address: string };
  readonly PrimaryPhone?: { readonly FreeFormNumber: string };
  readonly BillAddr?: QboAddressOut;
};
export type QboCustomerPayload = QboPartyPayload;
export type QboVendorPayload = QboPartyPayload;

export type QboItemPayload = UpdateFields & {
  readonly Name: string;
  readonly Type: 'Service';
  readonly Active: true;
  readonly IncomeAccountRef: QboRefOut;
};

export type QboSalesItemLineOut = {
  readonly DetailType: 'SalesItemLineDetail';
  readonly Amount: number;
  readonly Description?: string;
  readonly SalesItemLineDetail: {
    readonly ItemRef: QboRefOut;
    readonly Qty: number;
    readonly UnitPrice: number;
    readonly TaxCodeRef: QboRefOut;
  };
};

export type QboAccountExpenseLineOut = {
  readonly DetailType: 'AccountBasedExpenseLineDetail';
  readonly Amount: number;
  readonly Description?: string;
  readonly AccountBasedExpenseLineDetail: {
    readonly AccountRef: QboRefOut;
    readonly TaxCodeRef: QboRefOut;
  };
};

/** US only: the one code whose rate QBO applies to every TAX line. */
export type QboTxnTaxDetailOut = { readonly TxnTaxCodeRef: QboRefOut };

type TaxHeader = {
  readonly TxnTaxDetail?: QboTxnTaxDetailOut;
  /** Non-US companies: Workroom rates exclude tax. */
  readonly GlobalTaxCalculation?: 'TaxExcluded';
};

type TxnHeader = UpdateFields &
  TaxHeader & {
    readonly DocNumber: string;
    readonly TxnDate: string;
    readonly CurrencyRef: QboRefOut;
  };

/** What QBO Invoice and Estimate bodies share. */
export type QboSalesPayload = TxnHeader & {
  readonly CustomerRef: QboRefOut;
  readonly Line: readonly QboSalesItemLineOut[];
};

export type QboInvoicePayload = QboSalesPayload & { readonly DueDate?: string };

export type QboEstimatePayload = QboSalesPayload & { readonly ExpirationDate?: string };

export type QboPurchaseOrderPayload = TxnHeader & {
  readonly VendorRef: QboRefOut;
  readonly DueDate?: string;
  readonly Line: readonly QboAccountExpenseLineOut[];
};
