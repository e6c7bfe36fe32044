import type { ReactNode } from 'react';
import { FormAlert } from '../../../components/FormErrors.js';
import type { Submission } from '../../../useSubmission.js';

interface SettingsPanelProps {
  readonly title: string;
  /** The panel's own actions: their outcome shows at the top, above what they changed. */
  readonly outcome: Pick<Submission, 'failure' | 'notice'>;
  /** Why the panel's list could not be read, when it could not. */
  readonly loadFailure?: string | undefined;
  readonly children: ReactNode;
}

/** One studio setting's panel: its heading, what the last action did, and a list that failed to load said so. */
export function SettingsPanel({ title, outcome, loadFailure, children }: SettingsPanelProps) {
  return (
    <section className="panel" aria-label={title}>
      <h2>{title}</h2>
      <FormAlert failure={outcome.failure} success={outcome.notice} />
      {loadFailure !== undefined && (
        <div className="alert error" role="alert">
          {loadFailure}
        </div>
      )}
      {children}
    </section>
  );
}
