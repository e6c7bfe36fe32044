import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import type { QboConnection } from '../../../../server/routes/qbo/contract.js';
import {
  ACCOUNT_SLOTS,
  type AccountMappingView,
  type AccountSlotField,
  type QboAccountChoice,
  type QboMappingView,
  type QboTaxCodeChoice,
  type TaxMappingBody,
} from '../../../../server/routes/qbo-mapping/contract.js';
import { ApiRequestError } from '../../../api.js';
import { FormAlert, NO_FAILURE, toFailure, type FormFailure } from '../../../components/FormErrors.js';
import { useLoad } from '../../../hooks.js';
import { Link } from '../../../router.js';
import { fetchQboConnection, QboNeedsReconnect } from '../apps/index.js';
import { mappingFieldLabel } from './mapping-labels.js';
import { fetchMapping, saveAccountMapping, saveTaxMapping } from './mapping-api.js';
import './finances.css';

type PageState = { readonly kind: 'connection'; readonly connection: QboConnection } | { readonly kind: 'ready'; readonly view: QboMappingView };

/**
 * The connection decides what the page can show: the mapping belongs to the connected company file, so a
 * missing or broken connection gets its own message (and the Reconnect button) instead of an empty form.
 */
async function loadPage(onConnection?: (connection: QboConnection) => void): Promise<PageState> {
  const connection = await fetchQboConnection();
  onConnection?.(connection);
  if (connection.status !== 'connected') return { kind: 'connection', connection };
  try {
    return { kind: 'ready', view: await fetchMapping() };
  } catch (err) {
    // Reading the company can itself reveal the connection broke (Intuit revoked the grant).
    if (err instanceof ApiRequestError && err.status === 409) {
      const again = await fetchQboConnection();
      onConnection?.(again);
      if (again.status !== 'connected') return { kind: 'connection', connection: again };
    }
    throw err;
  }
}

/** Settings → Finances → QuickBooks: account mapping and tax mapping for the connected company. */
export function QuickbooksMappingPage({ canEdit, onConnection }: { canEdit: boolean; onConnection?: (connection: QboConnection) => void }) {
  const [result] = useLoad(() => loadPage(onConnection), [onConnection]);
  const [view, setView] = useState<QboMappingView | null>(null);
  const [version, setVersion] = useState(0);
  const [notice, setNotice] = useState('');

  useEffect(() => {
    if (result.state === 'ready' && result.data.kind === 'ready') setView(result.data.view);
  }, [result]);

  // A new version remounts the forms, so they start again from what the server saved.
  const saved = (next: QboMappingView, what: string): void => {
    setView(next);
    setVersion((v) => v + 1);
    setNotice(`${what} saved.`);
  };

  return (
    <>
      <div className="page-head">
        <div>
          <div className="breadcrumb">Settings › Finances</div>
          <h1>QuickBooks</h1>
        </div>
      </div>
      {result.state === 'loading' && <p className="muted">Reading the chart of accounts from QuickBooks…</p>}
      {result.state === 'failed' && (
        <div className="alert error" role="alert">
          {result.message}
        </div>
      )}
      {result.state === 'ready' && result.data.kind === 'connection' && <NotConnected connection={result.data.connection} />}
      {result.state === 'ready' && result.data.kind === 'ready' && view && (
        <MappingScreen key={version} view={view} canEdit={canEdit} notice={notice} onSaved={saved} onError={() => setNotice('')} />
      )}
    </>
  );
}

function NotConnected({ connection }: { connection: QboConnection }) {
  if (connection.status === 'needs_reconnect') return <QboNeedsReconnect message={connection.message} />;
  return (
    <div className="panel" data-testid="qbo-mapping-not-connected">
      QuickBooks is not connected. <Link to="/settings/apps">Connect it in Settings → Apps</Link> to map accounts and tax codes.
    </div>
  );
}

function MappingScreen({
  view,
  canEdit,
  notice,
  onSaved,
  onError,
}: {
  view: QboMappingView;
  canEdit: boolean;
  notice: string;
  onSaved: (view: QboMappingView, what: string) => void;
  onError: () => void;
}) {
  return (
    <div className="qbo-mapping">
      <p className="muted" data-testid="qbo-mapping-company">
        Mapping for <strong>{view.company.name}</strong> ({view.company.country}, {view.company.homeCurrency}). Accounts and tax codes are
        read live from this company file; another company file has a mapping of its own.
      </p>
      {notice && (
        <div className="alert success" role="status">
          {notice}
        </div>
      )}
      <Warnings view={view} />
      <AccountMappingForm view={view} canEdit={canEdit} onSaved={(next) => onSaved(next, 'Account mapping')} onError={onError} />
      <TaxMappingForm view={view} canEdit={canEdit} onSaved={(next) => onSaved(next, 'Tax mapping')} onError={onError} />
    </div>
  );
}

function Warnings({ view }: { view: QboMappingView }) {
  const failing = view.warnings.filter((w) => w.kind === 'push_fails');
  const differing = view.warnings.filter((w) => w.kind === 'tax_rate_differs');
  return (
    <>
      {view.problems.length > 0 && (
        <div className="alert error" role="alert" data-testid="qbo-mapping-problems">
          <strong>QuickBooks no longer accepts some saved choices.</strong> Choose again and save.
          <ul>
            {view.problems.map((p) => (
              <li key={p.field}>{p.message}</li>
            ))}
          </ul>
        </div>
      )}
      {failing.length > 0 && (
        <div className="alert mapping-warnings" data-testid="qbo-mapping-warnings">
          <strong>Until these are mapped, pushes fail:</strong>
          <ul>
            {failing.map((w) => (
              <li key={w.field}>
                <strong>{mappingFieldLabel(w.field, view)}</strong> — {w.message}
              </li>
            ))}
          </ul>
        </div>
      )}
      {differing.length > 0 && (
        <div className="alert mapping-warnings" data-testid="qbo-mapping-rate-notes">
          <strong>Tax will differ from Workroom’s:</strong>
          <ul>
            {differing.map((w) => (
              <li key={w.field}>{w.message}</li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}

function MappedChip({ field, mapped, optional = false }: { field: string; mapped: boolean; optional?: boolean }) {
  const [className, text] = mapped ? ['mapped', 'Mapped'] : optional ? ['inherits', 'Uses default'] : ['unmapped', 'Not mapped'];
  return (
    <span className={`chip ${className}`} data-testid={`mapping-status-${field}`}>
      {text}
    </span>
  );
}

function Row({ label, hint, error, state, children }: { label: string; hint?: string; error?: string | undefined; state: ReactNode; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <tr>
      <td className="slot">
        <label htmlFor={id}>{label}</label>
        {hint && <div className="hint">{hint}</div>}
      </td>
      <td>
        {children(id)}
        {error && (
          <div className="field-error" role="alert">
            {error}
          </div>
        )}
      </td>
      <td className="state">{state}</td>
    </tr>
  );
}

function AccountSelect({
  id,
  value,
  choices,
  empty,
  invalid,
  onChange,
}: {
  id: string;
  value: string;
  choices: readonly QboAccountChoice[];
  empty: string;
  invalid: boolean;
  onChange: (value: string) => void;
}) {
  const types = [...new Set(choices.map((c) => c.type))].sort();
  const known = value === '' || choices.some((c) => c.id === value);
  return (
    <select id={id} value={value} aria-invalid={invalid} onChange={(event) => onChange(event.target.value)}>
      <option value="">{empty}</option>
      {!known && <option value={value}>Account {value} (not available in QuickBooks)</option>}
      {types.map((type) => (
        <optgroup key={type} label={type}>
          {choices
            .filter((c) => c.type === type)
            .map((c) => (
              <option key={c.id} value={c.id}>
                {c.fullName}
              </option>
            ))}
        </optgroup>
      ))}
    </select>
  );
}

const CHOICES_FOR: Readonly<Record<AccountSlotField, Exclude<keyof QboMappingView['choices'], 'taxCodes'>>> = {
  defaultIncomeAccountId: 'income',
  defaultExpenseAccountId: 'expense',
  retainerLiabilityAccountId: 'retainer',
  salesTaxPayableAccountId: 'salesTaxPayable',
};

function withoutBlanks(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== ''));
}

/** Both forms save the same way: disabled while the request runs, the server's field errors shown on failure. */
function useMappingSave(save: () => Promise<QboMappingView>, onSaved: (view: QboMappingView) => void, onError: () => void) {
  const [failure, setFailure] = useState<FormFailure>(NO_FAILURE);
  const [busy, setBusy] = useState(false);
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    setBusy(true);
    save().then(
      (next) => {
        setBusy(false);
        onSaved(next);
      },
      (err: unknown) => {
        setBusy(false);
        setFailure(toFailure(err));
        onError();
      },
    );
  };
  return { failure, busy, submit };
}

type OverrideField = 'incomeByCategory' | 'expenseByVendor';

const OVERRIDES = {
  incomeByCategory: {
    title: 'Income per product category',
    none: 'No product categories yet.',
    subjects: 'categories',
    choices: 'income',
    empty: 'Use the Default Income Account',
  },
  expenseByVendor: {
    title: 'Expense per vendor',
    none: 'No vendors yet.',
    subjects: 'vendors',
    choices: 'expense',
    empty: 'Use the Default Expense Account',
  },
} as const satisfies Record<OverrideField, unknown>;

/** An optional account per category or vendor; a blank choice falls back to the default account. */
function OverrideTable({
  mapping,
  view,
  values,
  failure,
  onChange,
}: {
  mapping: OverrideField;
  view: QboMappingView;
  values: Readonly<Record<string, string>>;
  failure: FormFailure;
  onChange: (update: (was: Record<string, string>) => Record<string, string>) => void;
}) {
  const { title, none, empty } = OVERRIDES[mapping];
  const subjects = view[OVERRIDES[mapping].subjects];
  const choices = view.choices[OVERRIDES[mapping].choices];
  const saved = view.accounts[mapping];
  return (
    <>
      <h3>{`${title} (optional)`}</h3>
      {subjects.length === 0 ? (
        <p className="muted" style={{ padding: '0 16px' }}>
          {none}
        </p>
      ) : (
        <table aria-label={title}>
          <tbody>
            {subjects.map((subject) => {
              const field = `${mapping}.${subject.id}`;
              return (
                <Row
                  key={subject.id}
                  label={subject.name}
                  error={failure.fields[field]}
                  state={<MappedChip field={field} mapped={saved[subject.id] !== undefined} optional />}
                >
                  {(id) => (
                    <AccountSelect
                      id={id}
                      value={values[subject.id] ?? ''}
                      choices={choices}
                      empty={empty}
                      invalid={Boolean(failure.fields[field])}
                      onChange={(value) => onChange((was) => ({ ...was, [subject.id]: value }))}
                    />
                  )}
                </Row>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}

interface MappingFormProps {
  view: QboMappingView;
  canEdit: boolean;
  onSaved: (view: QboMappingView) => void;
  onError: () => void;
}

function SaveButton({ canEdit, label }: { canEdit: boolean; label: string }) {
  if (!canEdit) return null;
  return (
    <div className="form-actions">
      <button type="submit" className="primary">
        {label}
      </button>
    </div>
  );
}

function AccountMappingForm({ view, canEdit, onSaved, onError }: MappingFormProps) {
  const saved = view.accounts;
  const [slots, setSlots] = useState<Record<AccountSlotField, string>>({
    defaultIncomeAccountId: saved.defaultIncomeAccountId ?? '',
    defaultExpenseAccountId: saved.defaultExpenseAccountId ?? '',
    retainerLiabilityAccountId: saved.retainerLiabilityAccountId ?? '',
    salesTaxPayableAccountId: saved.salesTaxPayableAccountId ?? '',
  });
  const [byCategory, setByCategory] = useState<Record<string, string>>({ ...saved.incomeByCategory });
  const [byVendor, setByVendor] = useState<Record<string, string>>({ ...saved.expenseByVendor });
  const orNull = (value: string) => (value === '' ? null : value);
  const { failure, busy, submit } = useMappingSave(
    () =>
      saveAccountMapping({
        defaultIncomeAccountId: orNull(slots.defaultIncomeAccountId),
        defaultExpenseAccountId: orNull(slots.defaultExpenseAccountId),
        retainerLiabilityAccountId: orNull(slots.retainerLiabilityAccountId),
        salesTaxPayableAccountId: orNull(slots.salesTaxPayableAccountId),
        incomeByCategory: withoutBlanks(byCategory),
        expenseByVendor: withoutBlanks(byVendor),
      }),
    onSaved,
    onError,
  );

  const mappedOf = (accounts: AccountMappingView, field: AccountSlotField) => accounts[field] !== null;

  return (
    <form className="panel flush" aria-label="Account mapping" onSubmit={submit}>
      <div className="panel-head">
        <h2>Account mapping</h2>
        <FormAlert failure={failure} />
      </div>
      <fieldset disabled={!canEdit || busy} style={{ border: 'none', padding: 0, margin: 0 }}>
        <table>
          <tbody>
            {ACCOUNT_SLOTS.map((slot) => (
              <Row
                key={slot.field}
                label={slot.label}
                hint={slot.hint}
                error={failure.fields[slot.field]}
                state={<MappedChip field={slot.field} mapped={mappedOf(saved, slot.field)} />}
              >
                {(id) => (
                  <AccountSelect
                    id={id}
                    value={slots[slot.field]}
                    choices={view.choices[CHOICES_FOR[slot.field]]}
                    empty="— Not mapped —"
                    invalid={Boolean(failure.fields[slot.field])}
                    onChange={(value) => setSlots((was) => ({ ...was, [slot.field]: value }))}
                  />
                )}
              </Row>
            ))}
          </tbody>
        </table>
        <OverrideTable mapping="incomeByCategory" view={view} values={byCategory} failure={failure} onChange={setByCategory} />
        <OverrideTable mapping="expenseByVendor" view={view} values={byVendor} failure={failure} onChange={setByVendor} />
        <SaveButton canEdit={canEdit} label="Save account mapping" />
      </fieldset>
    </form>
  );
}

function TaxSelect({
  id,
  value,
  choices,
  invalid,
  onChange,
}: {
  id: string;
  value: string;
  choices: readonly QboTaxCodeChoice[];
  invalid: boolean;
  onChange: (value: string) => void;
}) {
  const known = value === '' || choices.some((c) => c.id === value);
  return (
    <select id={id} value={value} aria-invalid={invalid} onChange={(event) => onChange(event.target.value)}>
      <option value="">— Not paired —</option>
      {!known && <option value={value}>Tax code {value} (not available in QuickBooks)</option>}
      {choices.map((c) => (
        <option key={c.id} value={c.id}>
          {c.rate === null ? c.name : `${c.name} (${c.rate}%)`}
        </option>
      ))}
    </select>
  );
}

interface TaxRowSpec {
  readonly field: string;
  readonly label: string;
  readonly hint?: string;
  readonly saved: string | null | undefined;
}

function taxRows(view: QboMappingView): TaxRowSpec[] {
  const { tax, organisation, company } = view;
  if (tax.kind === 'sales_tax') {
    const rows: TaxRowSpec[] = [
      {
        field: 'salesTaxCodeId',
        label: `Sales Tax % (${organisation.salesTaxRate}%)`,
        hint: company.taxModel === 'us' ? 'Sent as the document’s tax code; taxed lines go as TAX, others as NON.' : 'Sent on every taxed line.',
        saved: tax.salesTaxCodeId,
      },
    ];
    if (company.taxModel === 'global') {
      rows.push({ field: 'exemptTaxCodeId', label: 'Untaxed lines', hint: 'This company needs a tax code on every line, e.g. Exempt.', saved: tax.exemptTaxCodeId });
    }
    return rows;
  }
  return [
    ...view.taxCodes.map((code) => ({ field: `codes.${code.id}`, label: `${code.name} (${code.rate}%)`, saved: tax.codes[code.id] })),
    { field: 'noTaxCodeId', label: 'Lines without a tax code', hint: 'e.g. Exempt or Out of scope.', saved: tax.noTaxCodeId },
  ];
}

function taxBody(kind: QboMappingView['tax']['kind'], values: Readonly<Record<string, string>>): TaxMappingBody {
  const orNull = (field: string) => (values[field] ? values[field] : null);
  if (kind === 'sales_tax') return { kind, salesTaxCodeId: orNull('salesTaxCodeId'), exemptTaxCodeId: orNull('exemptTaxCodeId') };
  const codes: Record<string, string> = {};
  for (const [field, value] of Object.entries(values)) {
    if (field.startsWith('codes.') && value !== '') codes[field.slice('codes.'.length)] = value;
  }
  return { kind, codes, noTaxCodeId: orNull('noTaxCodeId') };
}

function TaxMappingForm({ view, canEdit, onSaved, onError }: MappingFormProps) {
  const rows = taxRows(view);
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(rows.map((r) => [r.field, r.saved ?? ''])));
  const { failure, busy, submit } = useMappingSave(() => saveTaxMapping(taxBody(view.tax.kind, values)), onSaved, onError);
  const mismatch = view.tax.kind === 'tax_codes' && view.company.taxModel === 'us';

  return (
    <form className="panel flush" aria-label="Tax mapping" onSubmit={submit}>
      <div className="panel-head">
        <h2>Tax mapping</h2>
        <p className="muted">
          {view.tax.kind === 'sales_tax'
            ? 'Pair your Sales Tax % with one QuickBooks tax code.'
            : 'Pair each Workroom tax code with the matching QuickBooks tax code.'}
        </p>
        <FormAlert failure={failure} />
      </div>
      {mismatch ? (
        <p className="alert error" style={{ margin: '0 16px 16px' }}>
          This organisation uses named tax codes, but {view.company.name} is a US company that takes one tax code per document. Connect the
          matching company file in <Link to="/settings/apps">Settings → Apps</Link>.
        </p>
      ) : (
        <fieldset disabled={!canEdit || busy} style={{ border: 'none', padding: 0, margin: 0 }}>
          <table>
            <tbody>
              {rows.map((row) => (
                <Row
                  key={row.field}
                  label={row.label}
                  {...(row.hint ? { hint: row.hint } : {})}
                  error={failure.fields[row.field]}
                  state={<MappedChip field={row.field} mapped={row.saved !== null && row.saved !== undefined} />}
                >
                  {(id) => (
                    <TaxSelect
                      id={id}
                      value={values[row.field] ?? ''}
                      choices={view.choices.taxCodes}
                      invalid={Boolean(failure.fields[row.field])}
                      onChange={(value) => setValues((was) => ({ ...was, [row.field]: value }))}
                    />
                  )}
                </Row>
              ))}
            </tbody>
          </table>
          <SaveButton canEdit={canEdit} label="Save tax mapping" />
        </fieldset>
      )}
    </form>
  );
}
