import { useState, type FormEvent } from 'react';
import { call } from '../../../api.js';
import { TextField } from '../../../components/Field.js';
import { FormAlert, NO_FAILURE, toFailure, type FormFailure } from '../../../components/FormErrors.js';

/** The logged-in user's own password: how someone given a first password by an owner makes it theirs. */
export function PasswordPanel() {
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [repeated, setRepeated] = useState('');
  const [failure, setFailure] = useState<FormFailure>(NO_FAILURE);
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);

  const change = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setNotice('');
    if (newPassword !== repeated) {
      setFailure({ message: 'Please correct the highlighted fields.', fields: { repeated: 'is not the same as the new password' } });
      return;
    }
    setBusy(true);
    try {
      await call('changePassword', { body: { currentPassword, newPassword } });
      setFailure(NO_FAILURE);
      setNotice('Your password is changed. Anywhere else you were logged in, you will need to log in again.');
      setCurrent('');
      setNew('');
      setRepeated('');
    } catch (err) {
      setFailure(toFailure(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" aria-label="Your password">
      <h2>Your password</h2>
      <FormAlert failure={failure} success={notice} />
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
    </section>
  );
}
