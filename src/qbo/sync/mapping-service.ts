import { Decimal } from 'decimal.js';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import { getOrganisation } from '../../domain/store/organisations.js';
import { allTaxCodes } from '../../domain/store/tax-codes.js';
import type { TaxModel as WorkroomTaxModel } from '../../domain/tax.js';
import { err, ok, QboError, type QboClient, type QboQuery, type Result } from '../client/index.js';
import type { ConnectionView, QboConnectionService } from '../connection/connection-service.js';
import type { TaxModel as CompanyTaxModel } from '../connection/index.js';
import type { AccountMapping, TaxMapping } from '../mapping/index.js';
import { loadMappings, saveMappings, type MappingSet } from './mapping-store.js';
import {
  accountChoices,
  accountProblems,
  mappingWarnings,
  taxCodeChoices,
  taxProblems,
  unknownWorkroomIds,
  type AccountChoices,
  type LiveCompany,
  type MappingIssue,
  type MappingWarning,
  type Named,
  type TaxCodeChoice,
  type WorkroomLists,
  type WorkroomTaxCode,
} from './mapping-view.js';

/** Everything Settings → Finances → QuickBooks shows, for the company file connected right now. */
export interface MappingView {
  readonly company: {
    readonly realmId: string;
    readonly name: string;
    readonly country: string;
    readonly homeCurrency: string;
    readonly taxModel: CompanyTaxModel;
  };
  readonly organisation: { readonly country: string; readonly taxModel: WorkroomTaxModel; readonly salesTaxRate: string };
  readonly categories: Named[];
  readonly vendors: Named[];
  readonly taxCodes: WorkroomTaxCode[];
  readonly accounts: AccountMapping;
  readonly tax: TaxMapping;
  readonly choices: AccountChoices & { readonly taxCodes: TaxCodeChoice[] };
  readonly problems: MappingIssue[];
  readonly warnings: MappingWarning[];
}

/** The mapping slots whose emptiness makes pushes fail, with the names the page labels them by. */
export type MappingGaps = Pick<MappingView, 'categories' | 'vendors' | 'taxCodes' | 'warnings'>;

/**
 * Why the mapping could not be shown or saved. `quickbooks` carries QBO's own error, to be shown verbatim;
 * `invalid` lists every problem, each naming the mapping field it belongs to.
 */
export type MappingFailure =
  | { readonly kind: 'not_connected'; readonly message: string }
  | { readonly kind: 'needs_reconnect'; readonly message: string }
  | { readonly kind: 'quickbooks'; readonly error: QboError }
  | { readonly kind: 'invalid'; readonly issues: readonly MappingIssue[] };

export interface MappingServiceDeps {
  readonly db: Kysely<Database>;
  readonly connections: Pick<QboConnectionService, 'getClientFor' | 'status'>;
}

interface Context {
  readonly org: { readonly id: string; readonly country: string; readonly taxModel: WorkroomTaxModel; readonly salesTaxRate: string };
  readonly company: NonNullable<ConnectionView['company']>;
  readonly live: LiveCompany & { readonly choices: MappingView['choices'] };
  readonly lists: WorkroomLists;
}

const NOT_CONNECTED = 'QuickBooks is not connected. Connect it in Settings → Apps to map accounts and tax codes.';

/**
 * Account and tax mapping per (organisation, realm). Choices and checks always come from the connected
 * company's live chart of accounts and tax codes; the saved mapping lives in qbo_mappings (mapping-store),
 * where the push engine reads it.
 */
export class QboMappingService {
  readonly #db: Kysely<Database>;
  readonly #connections: MappingServiceDeps['connections'];

  constructor(deps: MappingServiceDeps) {
    this.#db = deps.db;
    this.#connections = deps.connections;
  }

  async view(orgId: string): Promise<Result<MappingView, MappingFailure>> {
    const context = await this.#context(orgId);
    if (!context.ok) return context;
    const saved = await loadMappings(this.#db, orgId, context.value.company.realmId, context.value.org.taxModel);
    return ok(viewOf(context.value, saved));
  }

  /**
   * What the saved mapping leaves unmapped so that pushes fail. Read from Workroom's own tables only: the Sync
   * Center asks on every open, and that must not spend QBO calls or find a dead token before a push does.
   * Saved choices QBO no longer accepts need the live chart, so only the mapping page shows those.
   */
  async gaps(orgId: string): Promise<Result<MappingGaps, MappingFailure>> {
    const organisation = await getOrganisation(this.#db, orgId);
    if (!organisation) throw new Error(`organisation ${orgId} vanished`);
    const connection = await this.#connections.status(orgId);
    if (connection.company === null || connection.status === 'not_connected' || connection.status === 'disconnected') {
      return err({ kind: 'not_connected', message: NOT_CONNECTED });
    }
    const [saved, lists] = await Promise.all([
      loadMappings(this.#db, orgId, connection.company.realmId, organisation.taxModel),
      this.#lists(orgId),
    ]);
    const warnings = mappingWarnings({
      accounts: saved.accounts,
      tax: saved.tax,
      workroomTaxModel: organisation.taxModel,
      salesTaxRate: organisation.salesTaxRate,
      companyTaxModel: connection.company.taxModel,
      workroomTaxCodes: lists.taxCodes,
      qboTaxCodes: [],
    }).filter((w) => w.kind === 'push_fails');
    return ok({ categories: [...lists.categories], vendors: [...lists.vendors], taxCodes: [...lists.taxCodes], warnings });
  }

  /** Replaces the account mapping after checking every account against the live chart. */
  async saveAccounts(orgId: string, userId: string | null, accounts: AccountMapping): Promise<Result<MappingView, MappingFailure>> {
    const context = await this.#context(orgId);
    if (!context.ok) return context;
    const { company, live, lists, org } = context.value;
    const issues = [...unknownWorkroomIds({ accounts }, lists), ...accountProblems(accounts, live, lists)];
    if (issues.length > 0) return err({ kind: 'invalid', issues });
    const saved = await saveMappings(this.#db, { orgId, realmId: company.realmId, userId, accounts }, org.taxModel);
    return ok(viewOf(context.value, saved));
  }

  /** Replaces the tax mapping after checking it against the organisation's tax model and the live tax codes. */
  async saveTax(orgId: string, userId: string | null, tax: TaxMapping): Promise<Result<MappingView, MappingFailure>> {
    const context = await this.#context(orgId);
    if (!context.ok) return context;
    const { company, live, lists, org } = context.value;
    const issues = [...unknownWorkroomIds({ tax }, lists), ...taxProblems(tax, org.taxModel, live, lists)];
    if (issues.length > 0) return err({ kind: 'invalid', issues });
    const saved = await saveMappings(this.#db, { orgId, realmId: company.realmId, userId, tax }, org.taxModel);
    return ok(viewOf(context.value, saved));
  }

  async #context(orgId: string): Promise<Result<Context, MappingFailure>> {
    const organisation = await getOrganisation(this.#db, orgId);
    if (!organisation) throw new Error(`organisation ${orgId} vanished`);
    const client = await this.#connections.getClientFor(orgId);
    if (!client.ok) return err(await this.#connectionFailure(orgId, client.error));
    const connection = await this.#connections.status(orgId);
    // A reconnect to another company between the two reads: the facts would describe the wrong file.
    if (connection.company?.realmId !== client.value.realmId) {
      return err({ kind: 'needs_reconnect', message: 'The QuickBooks connection just changed. Reload the page.' });
    }
    const [live, lists] = await Promise.all([readLive(client.value, connection.company.taxModel), this.#lists(orgId)]);
    if (!live.ok) return err(await this.#connectionFailure(orgId, live.error));
    return ok({
      org: { id: organisation.id, country: organisation.country, taxModel: organisation.taxModel, salesTaxRate: organisation.salesTaxRate },
      company: connection.company,
      live: live.value,
      lists,
    });
  }

  async #connectionFailure(orgId: string, error: QboError): Promise<MappingFailure> {
    if (error.code !== 'qbo_needs_reconnect') return { kind: 'quickbooks', error };
    const status = await this.#connections.status(orgId);
    if (status.status === 'needs_reconnect') return { kind: 'needs_reconnect', message: status.message ?? error.message };
    if (status.status === 'connected') return { kind: 'needs_reconnect', message: error.message };
    return { kind: 'not_connected', message: NOT_CONNECTED };
  }

  async #lists(orgId: string): Promise<WorkroomLists> {
    const [categories, vendors, codes] = await Promise.all([
      this.#db.selectFrom('categories').select(['id', 'name']).where('org_id', '=', orgId).orderBy(sql`lower(name)`).orderBy('id').execute(),
      this.#db.selectFrom('vendors').select(['id', 'name']).where('org_id', '=', orgId).orderBy(sql`lower(name)`).orderBy('id').execute(),
      allTaxCodes(this.#db, orgId),
    ]);
    const taxCodes = codes
      .map((c) => ({ id: c.id, name: c.name, rate: c.components.reduce((sum, part) => sum.plus(part.rate), new Decimal(0)).toFixed() }))
      .sort((a, b) => a.name.localeCompare(b.name, 'en', { sensitivity: 'base' }));
    return { categories, vendors, taxCodes };
  }
}

/** The whole chart and every tax code, inactive ones included, so a saved id can be told inactive from unknown. */
async function readLive(client: QboClient, taxModel: CompanyTaxModel): Promise<Result<Context['live'], QboError>> {
  const everything = (q: QboQuery) => q.where('Active', 'IN', [true, false]);
  try {
    const [chart, taxCodes, taxRates] = await Promise.all([
      client.queryAll('Account', everything),
      client.queryAll('TaxCode', everything),
      client.queryAll('TaxRate', everything),
    ]);
    return ok({ taxModel, chart, taxCodes, choices: { ...accountChoices(chart), taxCodes: taxCodeChoices(taxCodes, taxRates) } });
  } catch (error) {
    if (error instanceof QboError) return err(error);
    throw error;
  }
}

function viewOf(context: Context, saved: MappingSet): MappingView {
  const { org, company, live, lists } = context;
  const problems = [
    ...accountProblems(saved.accounts, live, lists),
    // A model mismatch is a warning of its own below; the codes themselves are still checked here.
    ...taxProblems(saved.tax, org.taxModel, live, lists).filter((p) => p.field !== 'kind'),
  ];
  const warnings = mappingWarnings({
    accounts: saved.accounts,
    tax: saved.tax,
    workroomTaxModel: org.taxModel,
    salesTaxRate: org.salesTaxRate,
    companyTaxModel: company.taxModel,
    workroomTaxCodes: lists.taxCodes,
    qboTaxCodes: live.choices.taxCodes,
  });
  return {
    company: {
      realmId: company.realmId,
      name: company.name,
      country: company.country,
      homeCurrency: company.homeCurrency,
      taxModel: company.taxModel,
    },
    organisation: { country: org.country, taxModel: org.taxModel, salesTaxRate: org.salesTaxRate },
    categories: [...lists.categories],
    vendors: [...lists.vendors],
    taxCodes: [...lists.taxCodes],
    accounts: saved.accounts,
    tax: saved.tax,
    choices: live.choices,
    problems,
    warnings,
  };
}
