/**
 * QuickBooks Online connection tables. Tokens are stored only as AES-256-GCM envelopes (never plain);
 * every remembered QBO id is keyed by (org, realm) so another company file starts clean.
 */
export type QboConnectionStatus = 'connected' | 'needs_reconnect' | 'disconnected';

/** One row per organisation: its current (or last) QuickBooks company. */
export interface QboConnectionsTable {
  id: string;
  org_id: string;
  status: QboConnectionStatus;
  realm_id: string;
  /** Probed after the code exchange; every later call goes to this environment only. */
  environment: 'sandbox' | 'production';
  /** Which Intuit answered: the real one or the local emulator (its base URL is config, not data). */
  platform: 'intuit' | 'emulator';
  access_token_enc: string | null;
  access_token_expires_at: string | null;
  refresh_token_enc: string | null;
  refresh_token_expires_at: string | null;
  /** Bumped on every token write, so a caller can tell whether someone else refreshed meanwhile. */
  token_version: number;
  company_name: string;
  country: string;
  home_currency: string;
  multicurrency_enabled: number;
  tax_model: 'us' | 'global';
  facts_refreshed_at: string;
  /** Why the connection needs reconnecting, in words a user can act on. */
  status_reason: string | null;
  connected_by: string | null;
  connected_at: string;
  disconnected_at: string | null;
  last_refreshed_at: string | null;
  created_at: string;
  updated_at: string;
}

/** Pending OAuth authorizations: only the sha256 of the state travels to Intuit and back. */
export interface QboOAuthStatesTable {
  state_hash: string;
  org_id: string;
  user_id: string;
  /** sessions.id of the browser that started the flow; a callback from another session is refused. */
  session_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

/** The QBO record a Workroom record became, per company file. */
export interface QboIdMapTable {
  org_id: string;
  realm_id: string;
  /** 'customer' | 'vendor' | 'item' | 'invoice' | 'estimate' | 'purchase_order' | … */
  entity_type: string;
  local_id: string;
  qbo_id: string;
  sync_token: string | null;
  updated_at: string;
}

/** Account and tax mapping per company file, stored as the JSON of AccountMapping / TaxMapping (validated on read). */
export interface QboMappingsTable {
  org_id: string;
  realm_id: string;
  account_mapping: string;
  tax_mapping: string;
  updated_by: string | null;
  updated_at: string;
}

export interface QboTables {
  qbo_connections: QboConnectionsTable;
  qbo_oauth_states: QboOAuthStatesTable;
  qbo_id_map: QboIdMapTable;
  qbo_mappings: QboMappingsTable;
}
