import type { ReactNode } from 'react';
import { FormAlert } from '../../../components/FormErrors.js';
import type { Loadable } from '../../../hooks.js';
import type { Submission } from '../../../useSubmission.js';

interface SettingsPanelProps {
  readonly title: string;
  /** The panel's own actions: their outcome shows at the top, above what they changed. */
  readonly outcome: Pick<Submission, 'failure' | 'notice'>;
  /** The panel's list, when it has one: said so above the list when it could not be read. */
  readonly list?: Loadable<unknown>;
  readonly children: ReactNode;
}

/** One studio setting's panel: its heading, what the last action did, and a list that failed to load said so. */
export function SettingsPanel({ title, outcome, list, children }: SettingsPanelProps) {
  return (
    <section className="panel" aria-label={title}>
      <h2>{title}</h2>
      <FormAlert failure={outcome.failure} success={outcome.notice} />
      {list?.state === 'failed' && (
        <div className="alert error" role="alert">
          {list.message}
        </div>
      )}
      {children}
    </section>
  );
}
