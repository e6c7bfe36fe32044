/** QBO's DisplayName limit for Customer and Vendor. */
export const QBO_DISPLAY_NAME_MAX = 500;

/**
 * The DisplayName Workroom sends for a party name: trimmed, with every ':' turned into '-'.
 * QBO reserves ':' as the parent:child separator of sub-customers and refuses it in names, and refusing the
 * push instead would block a client called "Studio: West" for good. The same function feeds the lookup,
 * so a re-push finds the record it created. Everything else (apostrophes, '&', case) is kept exactly.
 */
export function qboDisplayName(name: string): string {
  return name.trim().replaceAll(':', '-');
}

/** Item and account names share the ':' rule; inner whitespace runs are also collapsed for a stable name. */
export function qboListName(name: string): string {
  return qboDisplayName(name).replace(/\s+/g, ' ');
}
