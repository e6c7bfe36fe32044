import { ApiRequestError, errorMessage } from '../api.js';

export interface FormFailure {
  /** Shown at the top of the form. */
  readonly message: string;
  /** Server field path ("clientInformation.name") → message, shown next to that field. */
  readonly fields: Readonly<Record<string, string>>;
}

export const NO_FAILURE: FormFailure = { message: '', fields: {} };

/** Messages shown next to their fields, with one line above the form pointing at them. */
export function fieldFailure(fields: Readonly<Record<string, string>>): FormFailure {
  return { message: 'Please correct the highlighted fields.', fields };
}

export function toFailure(err: unknown): FormFailure {
  if (err instanceof ApiRequestError && Object.keys(err.fieldErrors).length > 0) return fieldFailure(err.fieldErrors);
  return { message: errorMessage(err), fields: {} };
}

export function FormAlert({ failure, success }: { failure: FormFailure; success?: string | undefined }) {
  if (failure.message) {
    return (
      <div className="alert error" role="alert">
        {failure.message}
      </div>
    );
  }
  if (success) {
    return (
      <div className="alert success" role="status">
        {success}
      </div>
    );
  }
  return null;
}
