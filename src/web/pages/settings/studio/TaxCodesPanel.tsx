import { Decimal } from 'decimal.js';
import { useState, type FormEvent } from 'react';
import type { TaxCodeBody, TaxCodeRecord as TaxCode } from '../../../../server/api/contract.js';
import { call } from '../../../api.js';
import { TextField } from '../../../components/Field.js';
import type { FormFailure } from '../../../components/FormErrors.js';
import { useLoad } from '../../../hooks.js';
import { explainFailure, useSubmission } from '../../../useSubmission.js';
import { SettingsPanel } from './SettingsPanel.js';

const LIST_SIZE = 100;
/** As the API allows: GST + PST, QST… never more than a few taxes on one line. */
const MAX_COMPONENTS = 5;

interface Draft {
  readonly name: string;
  readonly components: readonly { readonly name: string; readonly rate: string }[];
}

const EMPTY_DRAFT: Draft = { name: '', components: [{ name: '', rate: '' }] };

function totalRate(code: Pick<TaxCode, 'components'>): string {
  return code.components.reduce((sum, c) => sum.plus(c.rate), new Decimal(0)).toFixed();
}

/**
 * The named taxes a Canadian studio's lines pick from (BC GST+PST, ON HST…). A studio billing in another province
 * adds its own (NS HST 15 %, QC GST+QST); a code documents use keeps its rates, so new rates are a new code.
 */
export function TaxCodesPanel() {
  const [result, reload] = useLoad(() => call('listTaxCodes', { query: { pageSize: LIST_SIZE } }), []);
  const [editing, setEditing] = useState<TaxCode | null>(null);
  const submission = useSubmission(reload);
  const { failure, busy, submit: attempt } = submission;
  const save = (draft: Draft): Promise<boolean> =>
    attempt(async () => {
      // Rows go as typed, so an error names the row it is about (components.1.rate is the second row).
      const body: TaxCodeBody = { name: draft.name, components: [...draft.components] };
      if (editing === null) {
        const added = await call('createTaxCode', { body });
        return `Tax code “${added.name}” added. Map it in Settings → Finances → QuickBooks before pushing documents that use it.`;
      }
      const saved = await call('updateTaxCode', { params: { id: editing.id }, body });
      setEditing(null);
      return `Tax code “${saved.name}” saved.`;
    });
  const remove = (code: TaxCode): void => {
    if (!window.confirm(`Delete the tax code “${code.name}”?`)) return;
    void attempt(async () => {
      await explainFailure(call('deleteTaxCode', { params: { id: code.id } }), `“${code.name}” was not deleted`);
      return `Tax code “${code.name}” deleted.`;
    });
  };

  return (
    <SettingsPanel title="Tax codes" outcome={submission} list={result}>
      {result.state === 'ready' && (
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Components</th>
              <th className="num">Total rate</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {result.data.items.map((code) => (
              <tr key={code.id}>
                <td>{code.name}</td>
                <td>{code.components.length ? code.components.map((c) => `${c.name} ${c.rate}%`).join(' + ') : 'Exempt'}</td>
                <td className="num">{totalRate(code)}%</td>
                <td className="num nowrap">
                  <button type="button" onClick={() => setEditing(code)} disabled={busy} aria-label={`Edit ${code.name}`}>
                    Edit
                  </button>{' '}
                  <button type="button" onClick={() => remove(code)} disabled={busy} aria-label={`Delete ${code.name}`}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {result.state === 'ready' && result.data.total > result.data.items.length && (
        <p className="muted">The first {result.data.items.length} of {result.data.total} tax codes, by name.</p>
      )}
      <TaxCodeForm
        // A fresh form per code: switching from one code to another starts from that code's own values.
        key={editing?.id ?? 'new'}
        editing={editing}
        failure={failure}
        busy={busy}
        onSave={save}
        onCancel={() => setEditing(null)}
      />
    </SettingsPanel>
  );
}

interface TaxCodeFormProps {
  readonly editing: TaxCode | null;
  readonly failure: FormFailure;
  readonly busy: boolean;
  readonly onSave: (draft: Draft) => Promise<boolean>;
  readonly onCancel: () => void;
}

function TaxCodeForm({ editing, failure, busy, onSave, onCancel }: TaxCodeFormProps) {
  const [draft, setDraft] = useState<Draft>(editing === null ? EMPTY_DRAFT : { name: editing.name, components: editing.components });
  const title = editing === null ? 'Add a tax code' : `Edit ${editing.name}`;
  const setComponent = (index: number, change: Partial<Draft['components'][number]>): void =>
    setDraft((was) => ({ ...was, components: was.components.map((c, i) => (i === index ? { ...c, ...change } : c)) }));
  const submitForm = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if ((await onSave(draft)) && editing === null) setDraft(EMPTY_DRAFT);
  };

  return (
    <form aria-label={title} onSubmit={(event) => void submitForm(event)}>
      <h3>{title}</h3>
      <div className="form-grid">
        <TextField label="Tax code name" value={draft.name} onChange={(name) => setDraft((was) => ({ ...was, name }))} error={failure.fields['name']} required />
      </div>
      {draft.components.map((component, i) => (
        <div className="inline-add" key={i} role="group" aria-label={`Tax ${i + 1}`}>
          <TextField label={`Tax ${i + 1} name`} value={component.name} onChange={(name) => setComponent(i, { name })} error={failure.fields[`components.${i}.name`]} required />
          <TextField label={`Tax ${i + 1} rate %`} value={component.rate} onChange={(rate) => setComponent(i, { rate })} error={failure.fields[`components.${i}.rate`]} required />
          <button type="button" onClick={() => setDraft((was) => ({ ...was, components: was.components.filter((_, k) => k !== i) }))} aria-label={`Remove tax ${i + 1}`}>
            Remove
          </button>
        </div>
      ))}
      {failure.fields['components'] && (
        <div className="field-error" role="alert">
          {failure.fields['components']}
        </div>
      )}
      <p className="muted">
        One line per tax the code adds up (GST 5 and PST 7 make 12 %). A code without taxes is exempt: its lines go to QuickBooks untaxed.
      </p>
      <div className="form-actions">
        <button
          type="button"
          disabled={draft.components.length >= MAX_COMPONENTS}
          onClick={() => setDraft((was) => ({ ...was, components: [...was.components, { name: '', rate: '' }] }))}
        >
          Add a tax
        </button>
        {editing !== null && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {editing === null ? 'Add tax code' : 'Save tax code'}
        </button>
      </div>
    </form>
  );
}
