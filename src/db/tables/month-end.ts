/** Month-end close: possible-duplicate decisions for customers/vendors and dismissed failed pushes. */
export type PartyDuplicateStatus = 'pending' | 'create_anyway';

/**
 * A push stopped before creating a customer/vendor because QBO already has one whose name differs only in
 * punctuation, spacing or case. 'create_anyway' lets the next push create it, as long as the name is unchanged.
 */
export interface QboPartyDuplicatesTable {
  org_id: string;
  realm_id: string;
  /** 'customer' | 'vendor'. */
  entity_type: string;
  /** clients.id or vendors.id. */
  local_id: string;
  local_name: string;
  /** nearDuplicateKey of local_name when flagged: a rename makes an old decision stale. */
  name_key: string;
  /** JSON array of { qboId, displayName }: the close-named QBO records found. */
  candidates: string;
  status: PartyDuplicateStatus;
  flagged_at: string;
  decided_by: string | null;
  decided_at: string | null;
}

/** A link made by hand (Link to QuickBooks record): the remembered id itself stays in qbo_id_map. */
export interface QboPartyLinksTable {
  org_id: string;
  realm_id: string;
  /** 'customer' | 'vendor'. */
  entity_type: string;
  local_id: string;
  qbo_id: string;
  /** The QBO DisplayName when linked: the drift report does not call that name a rename. */
  display_name: string;
  linked_by: string | null;
  linked_at: string;
}

/** One dismissed failed push; the job itself moves to status 'dismissed'. */
export interface PushDismissalsTable {
  id: string;
  org_id: string;
  realm_id: string;
  job_id: string;
  document_id: string;
  /** The revision the failed job pushed; a later edit makes the document pushable again. */
  document_revision: number;
  reason: string;
  dismissed_by: string | null;
  dismissed_at: string;
}

export interface MonthEndTables {
  qbo_party_duplicates: QboPartyDuplicatesTable;
  qbo_party_links: QboPartyLinksTable;
  push_dismissals: PushDismissalsTable;
}
