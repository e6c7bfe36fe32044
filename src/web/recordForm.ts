import { useEffect, useRef, useState, type FormEvent } from 'react';
import { errorMessage } from './api.js';
import { NO_FAILURE, toFailure, type FormFailure } from './components/FormErrors.js';
import { navigate } from './router.js';

/** How one kind of record (a client, a vendor) is read, saved and deleted through the API. */
export interface RecordFormSpec<R extends { id: string }, F> {
  /** "Client": used in the success message and the delete confirmation. */
  readonly noun: string;
  /** "/clients": where a deleted record sends the user; a new one lands on `${listPath}/${id}`. */
  readonly listPath: string;
  readonly toForm: (record: R) => F;
  readonly load: (id: string) => Promise<R>;
  /** Creates when `id` is null. */
  readonly save: (id: string | null, form: F) => Promise<R>;
  readonly remove: (id: string) => Promise<unknown>;
}

export interface RecordForm<F> {
  /** Null while an existing record loads. */
  readonly form: F | null;
  readonly set: (changes: Partial<F>) => void;
  readonly failure: FormFailure;
  readonly saved: string;
  readonly busy: boolean;
  readonly submit: (event: FormEvent) => void;
  readonly remove: () => void;
}

/**
 * The load / edit / save / delete cycle of a record page, mounted once per kind of record (not per id);
 * `blank` is the form of a record not yet created.
 */
export function useRecordForm<R extends { id: string }, F>(spec: RecordFormSpec<R, F>, id: string | null, blank: () => F): RecordForm<F> {
  const [form, setForm] = useState<F | null>(() => (id ? null : blank()));
  const [failure, setFailure] = useState<FormFailure>(NO_FAILURE);
  const [saved, setSaved] = useState('');
  const [busy, setBusy] = useState(false);

  // The page stays mounted when a new record gets its id (so "saved" stays on screen): no reload of what it just saved.
  const createdId = useRef<string | null>(null);
  useEffect(() => {
    if (id !== null && id === createdId.current) {
      createdId.current = null;
      return;
    }
    setFailure(NO_FAILURE);
    setSaved('');
    if (!id) {
      setForm(blank());
      return;
    }
    setForm(null);
    let current = true;
    spec.load(id).then(
      (record) => current && setForm(spec.toForm(record)),
      (err: unknown) => current && setFailure({ message: errorMessage(err), fields: {} }),
    );
    return () => {
      current = false;
    };
    // The spec is a module constant and `blank` only matters for a new record: what to show changes with the id.
  }, [id]);

  const save = async (): Promise<void> => {
    if (!form) return;
    setBusy(true);
    setSaved('');
    try {
      const record = await spec.save(id, form);
      setFailure(NO_FAILURE);
      setForm(spec.toForm(record));
      setSaved(`${spec.noun} saved.`);
      if (!id) {
        createdId.current = record.id;
        navigate(`${spec.listPath}/${record.id}`, { replace: true });
      }
    } catch (err) {
      setFailure(toFailure(err));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (): Promise<void> => {
    if (!id || !window.confirm(`Delete this ${spec.noun.toLowerCase()}?`)) return;
    try {
      await spec.remove(id);
      navigate(spec.listPath);
    } catch (err) {
      setFailure(toFailure(err));
    }
  };

  return {
    form,
    set: (changes) => setForm((was) => (was ? { ...was, ...changes } : was)),
    failure,
    saved,
    busy,
    submit: (event) => {
      event.preventDefault();
      void save();
    },
    remove: () => void remove(),
  };
}
