import { useCallback, useState } from 'react';
import { errorMessage } from './api.js';
import { fieldFailure, NO_FAILURE, toFailure, type FormFailure } from './components/FormErrors.js';

export interface Submission {
  readonly failure: FormFailure;
  /** What the last successful action said it did. */
  readonly notice: string;
  readonly busy: boolean;
  /** Runs one form action; its answer becomes the notice, its error the failure. True when it succeeded. */
  readonly submit: (action: () => Promise<string>) => Promise<boolean>;
  /** A failure found before asking the server (e.g. two password fields that differ). */
  readonly refuse: (fields: Record<string, string>) => void;
}

/**
 * The state every small settings form keeps: one action at a time, its outcome shown above the form. `afterSuccess`
 * runs after each action that succeeded (a panel re-reads its list there, so changes by others show too).
 */
export function useSubmission(afterSuccess?: () => void): Submission {
  const [failure, setFailure] = useState<FormFailure>(NO_FAILURE);
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = useCallback(async (action: () => Promise<string>): Promise<boolean> => {
    setNotice('');
    setBusy(true);
    try {
      const said = await action();
      setFailure(NO_FAILURE);
      setNotice(said);
      afterSuccess?.();
      return true;
    } catch (err) {
      setFailure(toFailure(err));
      return false;
    } finally {
      setBusy(false);
    }
  }, [afterSuccess]);
  const refuse = useCallback((fields: Record<string, string>) => {
    setNotice('');
    setFailure(fieldFailure(fields));
  }, []);
  return { failure, notice, busy, submit, refuse };
}

/** A row action's failure named after what it did not do: "“Furniture” was not deleted: document lines use…". */
export function explainFailure<T>(request: Promise<T>, failed: string): Promise<T> {
  return request.catch((err: unknown) => {
    throw new Error(`${failed}: ${errorMessage(err)}`);
  });
}
