import { z } from 'zod';

export const QBO_ENVIRONMENTS = ['production', 'sandbox'] as const;
export type QboEnvironment = (typeof QBO_ENVIRONMENTS)[number];

export const RealmIdSchema = z.string().regex(/^\d{10,19}$/, 'realmId must be 10 to 19 digits').brand<'RealmId'>();
export type RealmId = z.output<typeof RealmIdSchema>;

export function parseRealmId(value: string): RealmId {
  return RealmIdSchema.parse(value);
}

export interface EnvironmentEndpoints {
  readonly environment: QboEnvironment;
  /** Accounting API root; requests go to `${apiBaseUrl}/v3/company/{realmId}/…`. */
  readonly apiBaseUrl: string;
  /** QBO web app root, for deep links to records. */
  readonly appHost: string;
}

export interface OAuthEndpoints {
  readonly authorizeUrl: string;
  readonly tokenUrl: string;
  readonly revokeUrl: string;
}

/** Everything environment-specific about one Intuit (or Intuit look-alike) platform, as data. */
export interface QboPlatform {
  readonly name: 'intuit' | 'emulator';
  readonly oauth: OAuthEndpoints;
  readonly environments: { readonly [E in QboEnvironment]: EnvironmentEndpoints & { readonly environment: E } };
}

// https://developer.intuit.com/app/developer/qbo/docs/develop/authentication-and-authorization/oauth-2.0
export const INTUIT_PLATFORM = {
  name: 'intuit',
  oauth: {
    authorizeUrl: 'https://appcenter.intuit.com/connect/oauth2',
    tokenUrl: 'https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer',
    revokeUrl: 'https://developer.api.intuit.com/v2/oauth2/tokens/revoke',
  },
  environments: {
    production: {
      environment: 'production',
      apiBaseUrl: 'https://quickbooks.api.intuit.com',
      appHost: 'https://app.qbo.intuit.com',
    },
    sandbox: {
      environment: 'sandbox',
      apiBaseUrl: 'https://sandbox-quickbooks.api.intuit.com',
      appHost: 'https://app.sandbox.qbo.intuit.com',
    },
  },
} as const satisfies QboPlatform;

/** The local emulator serves the same contract under one base URL, one path prefix per environment. */
export function emulatorPlatform(baseUrl: string): QboPlatform {
  const base = z.url().parse(baseUrl).replace(/\/+$/, '');
  return Object.freeze({
    name: 'emulator',
    oauth: Object.freeze({
      authorizeUrl: `${base}/connect/oauth2`,
      tokenUrl: `${base}/oauth2/v1/tokens/bearer`,
      revokeUrl: `${base}/v2/oauth2/tokens/revoke`,
    }),
    environments: Object.freeze({
      production: Object.freeze({
        environment: 'production',
        apiBaseUrl: `${base}/quickbooks`,
        appHost: `${base}/app`,
      }),
      sandbox: Object.freeze({
        environment: 'sandbox',
        apiBaseUrl: `${base}/sandbox-quickbooks`,
        appHost: `${base}/sandbox-app`,
      }),
    }),
  } as const);
}

/** Root of one company's Accounting API, e.g. `https://quickbooks.api.intuit.com/v3/company/123…`. */
export function companyBaseUrl(endpoints: EnvironmentEndpoints, realmId: RealmId): string {
  return `${endpoints.apiBaseUrl}/v3/company/${encodeURIComponent(realmId)}`;
}

const DEEP_LINK_PAGES = {
  Invoice: 'invoice',
  Estimate: 'estimate',
  PurchaseOrder: 'purchaseorder',
  Customer: 'customerdetail',
  Vendor: 'vendordetail',
} as const;
export type DeepLinkEntity = keyof typeof DEEP_LINK_PAGES;

/** Link a user can open to see a record in the QBO web app of the connection's own environment. */
export function qboRecordUrl(endpoints: EnvironmentEndpoints, entity: DeepLinkEntity, id: string): string {
  const page = DEEP_LINK_PAGES[entity];
  const param = entity === 'Customer' || entity === 'Vendor' ? 'nameId' : 'txnId';
  return `${endpoints.appHost}/app/${page}?${param}=${encodeURIComponent(id)}`;
}
