import { useState, type FormEvent } from 'react';
import { call } from '../../../api.js';
import { TextField } from '../../../components/Field.js';
import { useSubmission } from '../../../useSubmission.js';
import { SettingsPanel } from './SettingsPanel.js';

/** The logged-in user's own password: how someone given a first password by an owner makes it theirs. */
export function PasswordPanel() {
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [repeated, setRepeated] = useState('');
  const submission = useSubmission();
  const { failure, busy, submit, refuse } = submission;

  const change = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (newPassword !== repeated) {
      refuse({ repeated: 'is not the same as the new password' });
      return;
    }
    const changed = await submit(async () => {
      await call('changePassword', { body: { currentPassword, newPassword } });
      return 'Your password is changed. Anywhere else you were logged in, you will need to log in again.';
    });
    if (!changed) return;
    setCurrent('');
    setNew('');
    setRepeated('');
  };

  return (
    <SettingsPanel title="Your password" outcome={submission}>
      <form aria-label="Change your password" onSubmit={(event) => void change(event)}>
        <div className="form-grid">
          <TextField label="Current password" type="password" value={currentPassword} onChange={setCurrent} error={failure.fields['currentPassword']} required autoComplete="current-password" />
          <TextField label="New password" type="password" value={newPassword} onChange={setNew} error={failure.fields['newPassword']} required autoComplete="new-password" />
          <TextField label="New password again" type="password" value={repeated} onChange={setRepeated} error={failure.fields['repeated']} required autoComplete="new-password" />
        </div>
        <p className="muted">At least 8 characters. Anywhere else you are logged in, you will need to log in again.</p>
        <div className="form-actions">
          <button type="submit" className="primary" disabled={busy}>
            Change password
          </button>
        </div>
      </form>
    </SettingsPanel>
  );
}
