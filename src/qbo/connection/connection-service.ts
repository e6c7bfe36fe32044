import { randomUUID } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Database, DialectName } from '../../db/index.js';
import type { QboConnectionsTable } from '../../db/tables/qbo.js';
import {
  err,
  ok,
  QboClient,
  QboError,
  type QboLogger,
  type QboPlatform,
  type QboTransport,
  type RealmLimiter,
  type Result,
  type RetryPolicy,
  silentLogger,
} from '../client/index.js';
import { readCompanyFacts, type CompanyFacts } from './company-facts.js';
import { DbConnectionTokenStore } from './db-token-store.js';
import { probeEnvironment } from './environment-probe.js';
import { IntuitOAuthClient, parseOAuthCallback } from './oauth.js';
import { OAuthStateStore } from './oauth-state-store.js';
import { RefreshManager, UNREADABLE_REASON } from './refresh-manager.js';
import { consumeOAuthState, issueOAuthState, type StateRejection } from './state.js';
import { decryptTokens, encryptTokens, type TokenCipher } from './token-crypto.js';
import type { DecryptedTokens } from './types.js';

export interface OAuthAppCredentials {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUri: string;
}

export interface ConnectionServiceDeps {
  readonly db: Kysely<Database>;
  readonly dialect: DialectName;
  readonly cipher: TokenCipher;
  readonly platform: QboPlatform;
  readonly credentials: OAuthAppCredentials;
  readonly transport: QboTransport;
  /** One per process, shared by every client, so all QBO calls of a realm count against one budget. */
  readonly limiter: RealmLimiter;
  /**
   * In-call retries of every client. A worker keeps these short and hands longer waits (a 60 s Retry-After) back
   * to the durable queue instead of holding a job.
   */
  readonly clientRetryPolicy?: Partial<RetryPolicy>;
  readonly logger?: QboLogger;
  readonly now?: () => number;
}

/** The browser session a connect flow belongs to. */
export interface SessionRef {
  readonly orgId: string;
  readonly userId: string;
  readonly sessionId: string;
}

export type ConnectionState = 'not_connected' | 'connected' | 'needs_reconnect' | 'disconnected';

export interface ConnectionView {
  readonly status: ConnectionState;
  readonly company: {
    readonly realmId: string;
    readonly name: string;
    readonly environment: 'sandbox' | 'production';
    readonly country: string;
    readonly homeCurrency: string;
    readonly multiCurrency: boolean;
    readonly taxModel: 'us' | 'global';
    readonly factsRefreshedAt: string;
  } | null;
  readonly connectedAt: string | null;
  readonly disconnectedAt: string | null;
  readonly message: string | null;
  readonly platform: 'intuit' | 'emulator';
}

export type CallbackFailure =
  | 'denied'
  | 'state_missing'
  | 'state_invalid'
  | 'state_used'
  | 'state_expired'
  | 'state_other_session'
  | 'callback_invalid'
  | 'exchange_failed'
  | 'environment_unknown'
  | 'company_unreadable';

const STATE_FAILURES: Readonly<Record<StateRejection, CallbackFailure>> = {
  missing: 'state_missing',
  unknown: 'state_invalid',
  used: 'state_used',
  expired: 'state_expired',
  other_session: 'state_other_session',
};

/** Words for the "needs reconnect" state, by the reason the refresh manager recorded. */
const RECONNECT_MESSAGES: Readonly<Record<string, string>> = {
  invalid_grant:
    'QuickBooks no longer accepts Workroom’s saved authorization (it was revoked, or expired after a long idle period). Reconnect to continue.',
  refresh_expired: 'Workroom’s QuickBooks authorization expired after a long idle period. Reconnect to continue.',
  unusable: 'Workroom’s saved QuickBooks authorization is incomplete. Reconnect to continue.',
  [UNREADABLE_REASON]: 'Workroom can no longer read its saved QuickBooks authorization (the secret key changed). Reconnect to continue.',
  platform_changed:
    'This connection was made with the other QuickBooks (the local emulator versus Intuit) than Workroom now uses. Reconnect to continue.',
};

function reconnectMessage(reason: string | null): string {
  return RECONNECT_MESSAGES[reason ?? ''] ?? 'QuickBooks needs to be reconnected. Reconnect to continue.';
}

/**
 * Everything about an organisation's QuickBooks connection: the OAuth round trip, environment and company
 * facts, status, disconnect, and the one way the rest of the product gets a client for the connected realm.
 */
export class QboConnectionService {
  readonly #deps: Readonly<ConnectionServiceDeps & { logger: QboLogger; now: () => number }>;
  readonly #oauth: IntuitOAuthClient;
  readonly #states: OAuthStateStore;
  readonly #tokens: DbConnectionTokenStore;
  readonly #refresh: RefreshManager;

  constructor(deps: ConnectionServiceDeps) {
    this.#deps = Object.freeze({ logger: silentLogger, now: Date.now, ...deps });
    const now = this.#deps.now;
    this.#oauth = new IntuitOAuthClient({
      endpoints: deps.platform.oauth,
      clientId: deps.credentials.clientId,
      clientSecret: deps.credentials.clientSecret,
      redirectUri: deps.credentials.redirectUri,
      transport: deps.transport,
      now,
    });
    this.#states = new OAuthStateStore(deps.db);
    this.#tokens = new DbConnectionTokenStore(deps.db, deps.dialect, () => new Date(now()));
    this.#refresh = new RefreshManager({
      store: this.#tokens,
      cipher: deps.cipher,
      oauth: this.#oauth,
      now,
      onRefreshSuccess: ({ connectionId, expiresAt }) =>
        this.#deps.logger.info({ qbo: { connectionId, expiresAt: expiresAt.toISOString() } }, 'qbo token refreshed'),
      onRefreshFailed: ({ connectionId, error, needsReconnect }) =>
        this.#deps.logger.warn({ qbo: { connectionId, needsReconnect, error: error.toJSON() } }, 'qbo token refresh failed'),
    });
  }

  /** Step 1: a single-use state bound to this session and org, and Intuit's authorize URL carrying it. */
  async startConnect(session: SessionRef): Promise<{ authorizeUrl: string }> {
    const state = await issueOAuthState(this.#states, session, this.#nowDate());
    return { authorizeUrl: this.#oauth.authorizeUrl(state) };
  }

  /** Step 2: Intuit redirected the browser back. Every outcome is a value the tile can explain. */
  async handleCallback(
    query: Readonly<Record<string, unknown>>,
    session: SessionRef,
  ): Promise<Result<ConnectionView, CallbackFailure>> {
    const parsed = parseOAuthCallback(query);
    if (!parsed.ok) {
      // Burn the state even when the rest is unusable, so it cannot be replayed with a forged code.
      await consumeOAuthState(this.#states, textOf(query['state']), session, this.#nowDate());
      return err(parsed.error === 'missing_state' ? 'state_missing' : 'callback_invalid');
    }
    const callback = parsed.value;
    const state = await consumeOAuthState(this.#states, callback.state, session, this.#nowDate());
    if (!state.ok) return err(STATE_FAILURES[state.error]);
    if (callback.kind === 'denied') return err('denied');

    const exchanged = await this.#oauth.exchangeCode(callback.code);
    if (!exchanged.ok) {
      this.#deps.logger.warn({ qbo: { orgId: session.orgId, error: exchanged.error.toJSON() } }, 'qbo code exchange failed');
      return err('exchange_failed');
    }
    const tokens = exchanged.value;
    const environment = await probeEnvironment({
      platform: this.#deps.platform,
      transport: this.#deps.transport,
      realmId: callback.realmId,
      accessToken: tokens.accessToken,
    });
    if (!environment.ok) {
      await this.#revokeQuietly(tokens.refreshToken);
      this.#deps.logger.warn({ qbo: { realmId: callback.realmId, error: environment.error.toJSON() } }, 'qbo environment probe failed');
      return err('environment_unknown');
    }
    const facts = await readCompanyFacts(
      this.#clientWithToken(environment.value, callback.realmId, () => Promise.resolve(tokens.accessToken)),
    );
    if (!facts.ok) {
      await this.#revokeQuietly(tokens.refreshToken);
      this.#deps.logger.warn({ qbo: { realmId: callback.realmId, error: facts.error.toJSON() } }, 'qbo company facts failed');
      return err('company_unreadable');
    }

    await this.#saveConnection(session, callback.realmId, environment.value, tokens, facts.value);
    this.#deps.logger.info(
      { qbo: { orgId: session.orgId, realmId: callback.realmId, environment: environment.value } },
      'qbo connected',
    );
    return ok(await this.status(session.orgId));
  }

  async status(orgId: string): Promise<ConnectionView> {
    const row = await this.#row(orgId);
    const platform = this.#deps.platform.name;
    if (!row) {
      return { status: 'not_connected', company: null, connectedAt: null, disconnectedAt: null, message: null, platform };
    }
    const { status, reason } = this.#stateOf(row);
    return {
      status,
      company: {
        realmId: row.realm_id,
        name: row.company_name,
        environment: row.environment,
        country: row.country,
        homeCurrency: row.home_currency,
        multiCurrency: row.multicurrency_enabled === 1,
        taxModel: row.tax_model,
        factsRefreshedAt: row.facts_refreshed_at,
      },
      connectedAt: row.connected_at,
      disconnectedAt: row.disconnected_at,
      message: status === 'needs_reconnect' ? reconnectMessage(reason) : null,
      platform,
    };
  }

  /**
   * Revokes the grant at Intuit and stops every push at once (no client can be had any more). Nothing is
   * deleted: the remembered ids stay keyed by realm for a later reconnect.
   */
  async disconnect(orgId: string): Promise<{ connection: ConnectionView; revokedAtIntuit: boolean }> {
    const row = await this.#row(orgId);
    if (!row) return { connection: await this.status(orgId), revokedAtIntuit: false };
    let revokedAtIntuit = false;
    const tokens = this.#decrypt(row);
    if (tokens) {
      const revoked = await this.#oauth.revoke(tokens.refreshToken);
      revokedAtIntuit = revoked.ok;
      if (!revoked.ok) this.#deps.logger.warn({ qbo: { orgId, error: revoked.error.toJSON() } }, 'qbo revoke failed');
    }
    const now = this.#nowIso();
    await this.#deps.db
      .updateTable('qbo_connections')
      .set({
        status: 'disconnected',
        status_reason: null,
        access_token_enc: null,
        access_token_expires_at: null,
        refresh_token_enc: null,
        refresh_token_expires_at: null,
        token_version: row.token_version + 1,
        disconnected_at: now,
        updated_at: now,
      })
      .where('id', '=', row.id)
      // Only this connection generation: a reconnect that landed meanwhile must not be wiped.
      .where('connected_at', '=', row.connected_at)
      .execute();
    this.#deps.logger.info({ qbo: { orgId, realmId: row.realm_id, revokedAtIntuit } }, 'qbo disconnected');
    return { connection: await this.status(orgId), revokedAtIntuit };
  }

  async refreshFacts(orgId: string): Promise<Result<ConnectionView, QboError>> {
    const client = await this.getClientFor(orgId);
    if (!client.ok) return client;
    const facts = await readCompanyFacts(client.value);
    if (!facts.ok) return facts;
    await this.#deps.db
      .updateTable('qbo_connections')
      .set({ ...factColumns(facts.value, this.#nowIso()), updated_at: this.#nowIso() })
      .where('org_id', '=', orgId)
      .where('realm_id', '=', client.value.realmId)
      .execute();
    return ok(await this.status(orgId));
  }

  /**
   * A client bound to the connection's realm and probed environment. Before every call it checks the
   * connection still points there, so a reconnect to another company can never receive this client's writes.
   */
  async getClientFor(orgId: string): Promise<Result<QboClient, QboError>> {
    const row = await this.#row(orgId);
    const state = row ? this.#stateOf(row) : undefined;
    if (!row || state?.status !== 'connected') {
      const message = state?.status === 'needs_reconnect' ? reconnectMessage(state.reason) : 'QuickBooks is not connected.';
      return err(new QboError({ code: 'qbo_needs_reconnect', message }));
    }
    const { id: connectionId, realm_id: realmId, environment } = row;
    const provider = this.#refresh.accessTokenProvider(connectionId);
    return ok(
      this.#clientWithToken(environment, realmId, async (request) => {
        const current = await this.#tokens.read(connectionId);
        if (current && (current.realmId !== realmId || current.environment !== environment)) {
          throw new QboError({
            code: 'qbo_needs_reconnect',
            message: 'The QuickBooks connection changed to another company; this request was not sent',
          });
        }
        return provider(request);
      }),
    );
  }

  #clientWithToken(
    environment: 'sandbox' | 'production',
    realmId: string,
    getAccessToken: ConstructorParameters<typeof QboClient>[0]['getAccessToken'],
  ): QboClient {
    return new QboClient({
      platform: this.#deps.platform,
      environment,
      realmId,
      getAccessToken,
      transport: this.#deps.transport,
      limiter: this.#deps.limiter,
      logger: this.#deps.logger,
      ...(this.#deps.clientRetryPolicy ? { retryPolicy: this.#deps.clientRetryPolicy } : {}),
    });
  }

  async #saveConnection(
    session: SessionRef,
    realmId: string,
    environment: 'sandbox' | 'production',
    tokens: DecryptedTokens,
    facts: CompanyFacts,
  ): Promise<void> {
    const now = this.#nowIso();
    const columnsFor = (connectionId: string) => {
      // The row id is bound into the ciphertext, so tokens are encrypted for the row they will live in.
      const encrypted = encryptTokens(this.#deps.cipher, connectionId, tokens);
      return {
        status: 'connected' as const,
        status_reason: null,
        realm_id: realmId,
        environment,
        platform: this.#deps.platform.name,
        access_token_enc: encrypted.accessTokenEnc,
        access_token_expires_at: encrypted.accessTokenExpiresAt.toISOString(),
        refresh_token_enc: encrypted.refreshTokenEnc,
        refresh_token_expires_at: encrypted.refreshTokenExpiresAt?.toISOString() ?? null,
        ...factColumns(facts, now),
        connected_by: session.userId,
        connected_at: now,
        disconnected_at: null,
        last_refreshed_at: null,
        updated_at: now,
      };
    };
    let existing = await this.#row(session.orgId);
    if (!existing) {
      const id = randomUUID();
      const inserted = await this.#deps.db
        .insertInto('qbo_connections')
        .values({ id, org_id: session.orgId, token_version: 0, created_at: now, ...columnsFor(id) })
        .onConflict((oc) => oc.column('org_id').doNothing())
        .executeTakeFirst();
      if (inserted.numInsertedOrUpdatedRows === 1n) return;
      // Another callback for this org inserted first; take its row over like any reconnect.
      existing = await this.#row(session.orgId);
      if (!existing) throw new Error('qbo connection row vanished during connect');
    }
    const { id } = existing;
    const previous = this.#decrypt(existing);
    await this.#deps.db
      .updateTable('qbo_connections')
      .set((eb) => ({ ...columnsFor(id), token_version: eb('token_version', '+', 1) }))
      .where('id', '=', id)
      .execute();
    // The replaced grant would otherwise stay live at Intuit with nobody holding it.
    if (previous && previous.refreshToken !== tokens.refreshToken) await this.#revokeQuietly(previous.refreshToken);
  }

  /** A connection made against the other platform (emulator vs Intuit) cannot be used with this one. */
  #stateOf(row: Selectable<QboConnectionsTable>): { status: ConnectionState; reason: string | null } {
    if (row.status === 'connected' && row.platform !== this.#deps.platform.name) {
      return { status: 'needs_reconnect', reason: 'platform_changed' };
    }
    return { status: row.status, reason: row.status_reason };
  }

  async #revokeQuietly(refreshToken: string): Promise<void> {
    const revoked = await this.#oauth.revoke(refreshToken);
    if (!revoked.ok) this.#deps.logger.warn({ qbo: { error: revoked.error.toJSON() } }, 'qbo revoke failed');
  }

  #decrypt(row: Selectable<QboConnectionsTable>): DecryptedTokens | undefined {
    if (row.access_token_enc === null || row.refresh_token_enc === null || row.access_token_expires_at === null) return undefined;
    const tokens = decryptTokens(this.#deps.cipher, row.id, {
      accessTokenEnc: row.access_token_enc,
      refreshTokenEnc: row.refresh_token_enc,
      accessTokenExpiresAt: new Date(row.access_token_expires_at),
      refreshTokenExpiresAt: row.refresh_token_expires_at === null ? null : new Date(row.refresh_token_expires_at),
    });
    return tokens.ok ? tokens.value : undefined;
  }

  async #row(orgId: string): Promise<Selectable<QboConnectionsTable> | undefined> {
    const row = await this.#deps.db.selectFrom('qbo_connections').selectAll().where('org_id', '=', orgId).executeTakeFirst();
    return row && this.#healUnreadable(row);
  }

  /**
   * "Unreadable tokens" is about our key, not Intuit's grant: once the key is back (the old one supplied
   * in WORKROOM_SECRET_KEY_PREVIOUS during a rotation, or a restored key file) the connection works again
   * without a reconnect.
   */
  async #healUnreadable(row: Selectable<QboConnectionsTable>): Promise<Selectable<QboConnectionsTable>> {
    if (row.status !== 'needs_reconnect' || row.status_reason !== UNREADABLE_REASON || this.#decrypt(row) === undefined) return row;
    await this.#deps.db
      .updateTable('qbo_connections')
      .set({ status: 'connected', status_reason: null, updated_at: this.#nowIso() })
      .where('id', '=', row.id)
      .where('status', '=', 'needs_reconnect')
      .where('status_reason', '=', UNREADABLE_REASON)
      // The tokens just opened are still the stored ones: nobody reconnected or disconnected meanwhile.
      .where('token_version', '=', row.token_version)
      .execute();
    return this.#deps.db.selectFrom('qbo_connections').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
  }

  #nowDate(): Date {
    return new Date(this.#deps.now());
  }

  #nowIso(): string {
    return this.#nowDate().toISOString();
  }
}

function factColumns(facts: CompanyFacts, now: string) {
  return {
    company_name: facts.companyName,
    country: facts.country,
    home_currency: facts.homeCurrency,
    multicurrency_enabled: facts.multiCurrency ? 1 : 0,
    tax_model: facts.taxModel,
    facts_refreshed_at: now,
  };
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
