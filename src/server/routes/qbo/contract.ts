/**
 * The QuickBooks connection routes' shapes and the words the UI shows for each outcome. Browser-safe
 * (zod only), so the Settings → Apps page and the server share one definition.
 */
import { z } from 'zod';

export const QBO_CONNECTION_STATUSES = ['not_connected', 'connected', 'needs_reconnect', 'disconnected'] as const;
export type QboConnectionState = (typeof QBO_CONNECTION_STATUSES)[number];

export const QboCompanySchema = z.object({
  realmId: z.string(),
  name: z.string(),
  environment: z.enum(['sandbox', 'production']),
  country: z.string().describe('ISO 3166 alpha-2 where recognisable'),
  homeCurrency: z.string(),
  multiCurrency: z.boolean(),
  taxModel: z.enum(['us', 'global']).describe('us: TAX/NON per line; global: real TaxCode ids per line'),
  factsRefreshedAt: z.string(),
});
export type QboCompany = z.infer<typeof QboCompanySchema>;

export const QboConnectionSchema = z.object({
  status: z.enum(QBO_CONNECTION_STATUSES),
  /** The current company; for a disconnected org, the last one. Null when never connected. */
  company: QboCompanySchema.nullable(),
  connectedAt: z.string().nullable(),
  disconnectedAt: z.string().nullable(),
  /** Why reconnecting is needed, in words a user can act on; null otherwise. */
  message: z.string().nullable(),
  /** Whether Connect goes to the local emulator or to Intuit. */
  platform: z.enum(['intuit', 'emulator']),
});
export type QboConnection = z.infer<typeof QboConnectionSchema>;

export const QboConnectResponseSchema = z.object({ authorizeUrl: z.string() });
export type QboConnectResponse = z.infer<typeof QboConnectResponseSchema>;

export const QboDisconnectResponseSchema = z.object({
  connection: QboConnectionSchema,
  /** False when Intuit could not be reached; the connection is disconnected here regardless. */
  revokedAtIntuit: z.boolean(),
});
export type QboDisconnectResponse = z.infer<typeof QboDisconnectResponseSchema>;

/** The `?qbo=` flag the callback puts on its redirect back to Settings → Apps. */
export const QBO_CALLBACK_RESULTS = [
  'connected',
  'denied',
  'state_missing',
  'state_invalid',
  'state_used',
  'state_expired',
  'state_other_session',
  'callback_invalid',
  'exchange_failed',
  'environment_unknown',
  'company_unreadable',
] as const;
export type QboCallbackResult = (typeof QBO_CALLBACK_RESULTS)[number];

export const QBO_CALLBACK_MESSAGES: Readonly<Record<QboCallbackResult, string>> = {
  connected: 'QuickBooks Online is connected.',
  denied: 'You cancelled at Intuit, so QuickBooks was not connected. Click Connect to try again.',
  state_missing: 'Intuit sent Workroom back without the sign-in check it needs. Click Connect to start again.',
  state_invalid: 'This QuickBooks sign-in could not be verified, so it was refused. Click Connect to start again.',
  state_used: 'This QuickBooks sign-in link was already used. Click Connect to start again.',
  state_expired: 'The QuickBooks sign-in took longer than 10 minutes and expired. Click Connect to start again.',
  state_other_session:
    'This QuickBooks sign-in was started in another browser session, so it was refused. Click Connect to start again here.',
  callback_invalid: 'Intuit sent Workroom back without a company or an authorization code. Click Connect to start again.',
  exchange_failed: 'Intuit did not accept the authorization code, so QuickBooks was not connected. Click Connect to try again.',
  environment_unknown:
    'The chosen QuickBooks company answered neither as a sandbox nor as a production company. Try again in a minute.',
  company_unreadable: 'Workroom could not read the chosen company’s settings from QuickBooks. Try again in a minute.',
};

export const QBO_ROUTES = {
  connect: { method: 'POST', path: '/api/qbo/connect' },
  callback: { method: 'GET', path: '/api/qbo/callback' },
  connection: { method: 'GET', path: '/api/qbo/connection' },
  disconnect: { method: 'POST', path: '/api/qbo/disconnect' },
  refreshFacts: { method: 'POST', path: '/api/qbo/connection/refresh-facts' },
} as const;

/** Where the callback sends the browser back to. */
export const QBO_SETTINGS_PATH = '/settings/apps';
