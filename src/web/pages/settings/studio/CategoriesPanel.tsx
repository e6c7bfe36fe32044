import { useState, type FormEvent } from 'react';
import type { Category } from '../../../../server/api/contract.js';
import { call } from '../../../api.js';
import { TextField } from '../../../components/Field.js';
import { useLoad } from '../../../hooks.js';
import { explainFailure, useSubmission } from '../../../useSubmission.js';
import { SettingsPanel } from './SettingsPanel.js';

const LIST_SIZE = 100;

/**
 * The product categories document lines are filed under (Furniture, Lighting…); the QuickBooks mapping can send each
 * to its own income or expense account, so a studio needs to keep them as it works.
 */
export function CategoriesPanel() {
  const [result, reload] = useLoad(() => call('listCategories', { query: { pageSize: LIST_SIZE } }), []);
  const [name, setName] = useState('');
  const submission = useSubmission(reload);
  const { failure, busy, submit: attempt } = submission;
  const add = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (await attempt(async () => `Category “${(await call('createCategory', { body: { name } })).name}” added.`)) setName('');
  };

  return (
    <SettingsPanel title="Product categories" outcome={submission} list={result}>
      {result.state === 'ready' && (
        <table>
          <tbody>
            {result.data.items.map((category) => (
              <CategoryRow key={category.id} category={category} busy={busy} attempt={attempt} />
            ))}
          </tbody>
        </table>
      )}
      {result.state === 'ready' && result.data.total > result.data.items.length && (
        <p className="muted">The first {result.data.items.length} of {result.data.total} categories, by name.</p>
      )}
      <form aria-label="Add a category" onSubmit={(event) => void add(event)} className="inline-add">
        <TextField label="New category" value={name} onChange={setName} error={failure.fields['name']} required />
        <button type="submit" className="primary" disabled={busy}>
          Add category
        </button>
      </form>
    </SettingsPanel>
  );
}

interface CategoryRowProps {
  readonly category: Category;
  readonly busy: boolean;
  readonly attempt: (action: () => Promise<string>) => Promise<boolean>;
}

function CategoryRow({ category, busy, attempt }: CategoryRowProps) {
  const [editing, setEditing] = useState<string | null>(null);
  const rename = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const to = editing ?? category.name;
    const renamed = await attempt(async () => {
      const saved = await call('updateCategory', { params: { id: category.id }, body: { name: to } });
      return `“${category.name}” is now “${saved.name}”.`;
    });
    if (renamed) setEditing(null);
  };
  const remove = (): void => {
    if (!window.confirm(`Delete the category “${category.name}”?`)) return;
    void attempt(async () => {
      await explainFailure(call('deleteCategory', { params: { id: category.id } }), `“${category.name}” was not deleted`);
      return `Category “${category.name}” deleted.`;
    });
  };
  return (
    <tr>
      <td>
        {editing === null ? (
          category.name
        ) : (
          <form aria-label={`Rename ${category.name}`} onSubmit={(event) => void rename(event)} style={{ display: 'flex', gap: 8 }}>
            <input aria-label={`New name for ${category.name}`} value={editing} onChange={(event) => setEditing(event.target.value)} required />
            <button type="submit" disabled={busy}>
              Save
            </button>
            <button type="button" onClick={() => setEditing(null)}>
              Cancel
            </button>
          </form>
        )}
      </td>
      <td className="num nowrap">
        {editing === null && (
          <>
            <button type="button" onClick={() => setEditing(category.name)} aria-label={`Rename ${category.name}`}>
              Rename
            </button>{' '}
            <button type="button" onClick={remove} disabled={busy} aria-label={`Delete ${category.name}`}>
              Delete
            </button>
          </>
        )}
      </td>
    </tr>
  );
}
