import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import type { Category, Organisation, TaxCodeRecord, WorkroomDocument } from '../../server/api/contract.js';
import type { PushStateResponse } from '../../server/routes/qbo-push/contract.js';
import { call, errorMessage } from '../api.js';
import { ActionMenu, type MenuAction } from '../components/ActionMenu.js';
import { Field, TextField } from '../components/Field.js';
import { fieldFailure, FormAlert, NO_FAILURE, toFailure, type FormFailure } from '../components/FormErrors.js';
import { LineEditor } from '../components/LineEditor.js';
import { StatusChip } from '../components/StatusChip.js';
import { TotalsPanel } from '../components/TotalsPanel.js';
import { draftFrom, draftToBody, draftTotals, newDraft, type DocumentDraft } from '../documentDraft.js';
import type { DocumentKind } from '../documentTypes.js';
import { fetchPushState, pushToQuickBooks, QboPushPanel, type PushPanelParty } from '../qbo-push/index.js';
import { Link, navigate } from '../router.js';

interface Party {
  readonly id: string;
  readonly name: string;
}

interface Reference {
  readonly parties: readonly Party[];
  readonly categories: readonly Category[];
  readonly taxCodes: readonly TaxCodeRecord[];
}

function localToday(): string {
  const now = new Date();
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

async function loadReference(kind: DocumentKind, organisation: Organisation): Promise<Reference> {
  const parties =
    kind.party === 'client'
      ? call('listClients', { query: { pageSize: 100 } }).then((page) => page.items.map((c) => ({ id: c.id, name: c.clientInformation.name })))
      : call('listVendors', { query: { pageSize: 100 } }).then((page) => page.items.map((v) => ({ id: v.id, name: v.name })));
  const [partyList, categories, taxCodes] = await Promise.all([
    parties,
    call('listCategories', { query: { pageSize: 100 } }),
    organisation.taxModel === 'tax_codes' ? call('listTaxCodes', { query: { pageSize: 100 } }) : Promise.resolve({ items: [] }),
  ]);
  return { parties: partyList, categories: categories.items, taxCodes: taxCodes.items };
}

/** The document's client or vendor, for the choices a stopped push offers about it. */
function pushParty(doc: WorkroomDocument, busy: boolean, onPushAgain: () => void): PushPanelParty | null {
  if (doc.clientId !== null) return { kind: 'clients', id: doc.clientId, busy, onPushAgain };
  if (doc.vendorId !== null) return { kind: 'vendors', id: doc.vendorId, busy, onPushAgain };
  return null;
}

/** One estimate, invoice or purchase order: header, lines with live totals, notes and its actions. */
export function DocumentPage({ kind, id, organisation }: { kind: DocumentKind; id: string | null; organisation: Organisation }) {
  const [saved, setSaved] = useState<WorkroomDocument | null>(null);
  const [draft, setDraft] = useState<DocumentDraft | null>(id ? null : newDraft(organisation, localToday()));
  const [reference, setReference] = useState<Reference>({ parties: [], categories: [], taxCodes: [] });
  const [dirty, setDirty] = useState(false);
  const [failure, setFailure] = useState<FormFailure>(NO_FAILURE);
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);
  /** Null until known, and when this server offers no QuickBooks push. */
  const [pushInfo, setPushInfo] = useState<PushStateResponse | null>(null);

  useEffect(() => {
    loadReference(kind, organisation).then(setReference, (err: unknown) => setFailure({ message: errorMessage(err), fields: {} }));
  }, [kind, organisation]);

  // The page stays mounted when a new document gets its id, so it must not reload what it just saved.
  const savedId = useRef<string | null>(null);
  savedId.current = saved?.id ?? null;
  useEffect(() => {
    if (id !== null && id === savedId.current) return;
    setFailure(NO_FAILURE);
    setDirty(false);
    if (!id) {
      setSaved(null);
      setDraft(newDraft(organisation, localToday()));
      return;
    }
    setDraft(null);
    let current = true;
    call('getDocument', { params: { id } }).then(
      (doc) => {
        if (!current) return;
        setSaved(doc);
        setDraft(draftFrom(doc, kind));
      },
      (err: unknown) => current && setFailure({ message: errorMessage(err), fields: {} }),
    );
    return () => {
      current = false;
    };
  }, [id, kind, organisation]);

  const savedDocId = saved?.id;
  const savedRevision = saved?.revision;
  useEffect(() => {
    if (savedDocId === undefined) {
      setPushInfo(null);
      return;
    }
    let current = true;
    fetchPushState(savedDocId).then(
      (info) => current && setPushInfo(info),
      () => current && setPushInfo(null),
    );
    return () => {
      current = false;
    };
  }, [savedDocId, savedRevision]);

  const totals = useMemo(
    () => (draft ? draftTotals(draft, organisation, reference.taxCodes) : null),
    [draft, organisation, reference.taxCodes],
  );

  const edit = (changes: Partial<DocumentDraft>): void => {
    setDraft((was) => (was ? { ...was, ...changes } : was));
    setDirty(true);
    setNotice('');
  };

  /** Saves the draft when needed; returns the stored document, or null when the server refused it. */
  const persist = async (): Promise<WorkroomDocument | null> => {
    if (!draft) return null;
    if (saved && !dirty) return saved;
    if (!draft.partyId) {
      const field = kind.party === 'client' ? 'clientId' : 'vendorId';
      setFailure(fieldFailure({ [field]: `Choose a ${kind.party}` }));
      return null;
    }
    try {
      const body = draftToBody(draft, kind, organisation, saved?.revision);
      const doc = saved ? await call('updateDocument', { params: { id: saved.id }, body }) : await call('createDocument', { body });
      setSaved(doc);
      setDraft(draftFrom(doc, kind));
      setDirty(false);
      setFailure(NO_FAILURE);
      savedId.current = doc.id;
      if (!saved) navigate(`/${kind.segment}/${doc.id}`, { replace: true });
      return doc;
    } catch (err) {
      setFailure(toFailure(err));
      return null;
    }
  };

  const run = async (work: () => Promise<void>): Promise<void> => {
    setBusy(true);
    setNotice('');
    try {
      await work();
    } finally {
      setBusy(false);
    }
  };

  const save = (event: FormEvent): void => {
    event.preventDefault();
    void run(async () => {
      if (await persist()) setNotice(`${kind.singular} saved.`);
    });
  };

  const issue = (): void =>
    void run(async () => {
      const doc = await persist();
      if (!doc) return;
      try {
        const issued = await call(kind.issueAction, { params: { id: doc.id } });
        setSaved(issued);
        setDraft(draftFrom(issued, kind));
        setNotice(`${kind.singular} ${issued.number} is ${issued.status}.`);
      } catch (err) {
        setFailure(toFailure(err));
      }
    });

  const remove = (): void =>
    void run(async () => {
      if (!saved || !window.confirm(`Delete ${kind.singular.toLowerCase()} ${saved.number}?`)) return;
      try {
        await call('deleteDocument', { params: { id: saved.id } });
        navigate(`/${kind.segment}`);
      } catch (err) {
        setFailure(toFailure(err));
      }
    });

  const pushToQbo = (): void =>
    void run(async () => {
      const doc = await persist();
      if (!doc) return;
      setFailure(NO_FAILURE);
      try {
        const result = await pushToQuickBooks(doc.id);
        if (result.status === 'failed') setFailure({ message: result.message, fields: {} });
        else setNotice(result.message);
        setPushInfo((was) => (was === null ? was : { ...was, documentRevision: doc.revision, state: result.state ?? was.state }));
      } catch (err) {
        setFailure(toFailure(err));
      }
    });

  const menu: MenuAction[] = [
    ...(pushInfo?.connection === 'connected'
      ? [{ label: 'Push to QuickBooks', onSelect: pushToQbo, disabled: !saved || busy, ...(saved ? {} : { hint: 'Save the document first' }) }]
      : []),
    {
      label: `Delete ${kind.singular.toLowerCase()}`,
      onSelect: remove,
      disabled: !saved || saved.status !== 'draft',
      hint: 'Only drafts can be deleted',
    },
  ];

  const errors = failure.fields;
  const title = saved ? `${kind.singular} ${saved.number}` : `New ${kind.singular.toLowerCase()}`;
  const isDraft = !saved || saved.status === 'draft';

  return (
    <>
      <div className="breadcrumb">
        <Link to={`/${kind.segment}`}>{kind.plural}</Link>
      </div>
      <form onSubmit={save} aria-label={title}>
        <div className="page-head">
          <h1>
            {title} {saved && <StatusChip status={saved.status} />}
            {saved?.isRetainer && (
              <>
                {' '}
                <span className="chip retainer">retainer</span>
              </>
            )}
          </h1>
          <div className="actions">
            {dirty && <span className="muted">Unsaved changes</span>}
            <button type="submit" disabled={busy || !draft}>
              Save
            </button>
            {isDraft && (
              <button type="button" className="primary" disabled={busy || !draft} onClick={issue}>
                {kind.issueLabel}
              </button>
            )}
            <ActionMenu label={`${kind.singular} actions`} actions={menu} />
          </div>
        </div>
        <FormAlert failure={failure} success={notice} />
        {draft && totals && (
          <>
            <section className="panel" aria-label="Details">
              <div className="form-grid">
                <Field label={kind.party === 'client' ? 'Client' : 'Vendor'} error={errors[kind.party === 'client' ? 'clientId' : 'vendorId']}>
                  {(control) => (
                    <select {...control} value={draft.partyId} onChange={(event) => edit({ partyId: event.target.value })}>
                      <option value="">Choose…</option>
                      {reference.parties.map((party) => (
                        <option key={party.id} value={party.id}>
                          {party.name}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <TextField label="Number" value={draft.number} onChange={(number) => edit({ number })} error={errors['number']} />
                <TextField
                  label="Issue date"
                  type="date"
                  value={draft.issueDate}
                  onChange={(issueDate) => edit({ issueDate })}
                  error={errors['issueDate']}
                />
                <TextField
                  label={kind.dateLabel}
                  type="date"
                  value={draft.secondDate}
                  onChange={(secondDate) => edit({ secondDate })}
                  error={errors[kind.dateField]}
                />
                <TextField label="Currency" value={draft.currency} onChange={(currency) => edit({ currency })} error={errors['currency']} />
                {organisation.taxModel === 'sales_tax' && (
                  <TextField
                    label="Sales Tax %"
                    value={draft.salesTaxRate}
                    onChange={(salesTaxRate) => edit({ salesTaxRate })}
                    error={errors['salesTaxRate']}
                  />
                )}
              </div>
              {kind.type === 'invoice' && (
                <label style={{ display: 'flex', gap: 8, alignItems: 'center', fontWeight: 400 }}>
                  <input type="checkbox" checked={draft.isRetainer} onChange={(event) => edit({ isRetainer: event.target.checked })} />
                  Retainer (deposit) invoice
                </label>
              )}
            </section>
            <LineEditor
              lines={draft.lines}
              onChange={(lines) => edit({ lines })}
              amounts={totals.lineAmounts}
              organisation={organisation}
              categories={reference.categories}
              taxCodes={reference.taxCodes}
              errors={errors}
            />
            <section className="panel" style={{ display: 'flex', gap: 32, alignItems: 'flex-start' }}>
              <div style={{ flex: 1 }}>
                <Field label="Internal notes" error={errors['notes']}>
                  {(control) => (
                    <textarea {...control} value={draft.notes} onChange={(event) => edit({ notes: event.target.value })} />
                  )}
                </Field>
                <p className="muted" style={{ margin: 0, fontSize: 12 }}>
                  Internal notes, markup and vendor discounts stay in Workroom; they are never sent to QuickBooks.
                </p>
              </div>
              <TotalsPanel totals={totals} currency={draft.currency} />
            </section>
            {saved && pushInfo !== null && pushInfo.connection !== 'not_connected' && (
              <QboPushPanel info={pushInfo} revision={saved.revision} currency={saved.currency} party={pushParty(saved, busy, pushToQbo)} />
            )}
          </>
        )}
      </form>
    </>
  );
}
