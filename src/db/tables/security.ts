/** Login throttling: one row per recent log-in attempt, keyed by a hash of (email, client IP). */
export interface LoginAttemptsTable {
  id: string;
  /** sha256 of `lower(email) + "\n" + ip`: counts attempts without storing who or where. */
  key_hash: string;
  attempted_at: string;
}

export interface SecurityTables {
  login_attempts: LoginAttemptsTable;
}
