import { useState, type FormEvent } from 'react';
import type { SessionInfo, User } from '../../../../server/api/contract.js';
import { call } from '../../../api.js';
import { Field, TextField } from '../../../components/Field.js';
import { FormAlert } from '../../../components/FormErrors.js';
import { useLoad } from '../../../hooks.js';
import { explainFailure, useSubmission } from '../../../useSubmission.js';
import { SettingsPanel } from './SettingsPanel.js';

type Role = User['role'];

/** Who can log in to the studio; an owner adds people with a first password they then pass on, sets roles, removes people. */
export function UsersPanel({ session }: { session: SessionInfo }) {
  const [result, reload] = useLoad(() => call('listUsers', {}), []);
  const rowAction = useSubmission(reload);
  const isOwner = session.user.role === 'owner';
  const settle = (request: () => Promise<unknown>, done: string, failed: string): void => {
    void rowAction.submit(async () => {
      await explainFailure(request(), failed);
      return done;
    });
  };
  const remove = (user: User): void => {
    if (!window.confirm(`Remove ${user.email}? They can no longer log in; what they did stays in the history under their name.`)) return;
    settle(() => call('removeUser', { params: { id: user.id } }), `${user.email} can no longer log in.`, `${user.email} was not removed`);
  };
  const changeRole = (user: User, role: Role): void => {
    settle(() => call('setUserRole', { params: { id: user.id }, body: { role } }), `${user.email} is now ${role === 'owner' ? 'an owner' : 'a member'}.`, `${user.email} keeps the role ${user.role}`);
  };
  return (
    <SettingsPanel title="Users" outcome={rowAction} list={result}>
      {result.state === 'ready' && (
        <table>
          <thead>
            <tr>
              <th>Email</th>
              <th>Role</th>
              {isOwner && <th />}
            </tr>
          </thead>
          <tbody>
            {result.data.items.map((user) => (
              <tr key={user.id}>
                <td>
                  {user.email}
                  {user.id === session.user.id && <span className="muted"> (you)</span>}
                </td>
                <td>
                  {isOwner && user.id !== session.user.id ? (
                    <select aria-label={`Role of ${user.email}`} value={user.role} style={{ width: 'auto' }} onChange={(event) => changeRole(user, event.target.value === 'owner' ? 'owner' : 'member')}>
                      <option value="member">member</option>
                      <option value="owner">owner</option>
                    </select>
                  ) : (
                    user.role
                  )}
                </td>
                {isOwner && (
                  <td className="num">
                    {user.id !== session.user.id && (
                      <button type="button" onClick={() => remove(user)} aria-label={`Remove ${user.email}`}>
                        Remove
                      </button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {isOwner ? <AddUser onAdded={reload} /> : <p className="muted">Only an owner can add, change or remove users.</p>}
    </SettingsPanel>
  );
}

function AddUser({ onAdded }: { onAdded: () => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('member');
  const { failure, notice, busy, submit } = useSubmission(onAdded);

  const add = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const added = await submit(async () => {
      const user = await call('createUser', { body: { email, password, role } });
      return `${user.email} can now log in as ${user.role === 'owner' ? 'an owner' : 'a member'} with the password you chose.`;
    });
    if (!added) return;
    setEmail('');
    setPassword('');
    setRole('member');
  };

  return (
    <form aria-label="Add a user" onSubmit={(event) => void add(event)} style={{ marginTop: 16 }}>
      <h3>Add a user</h3>
      <FormAlert failure={failure} success={notice} />
      <div className="form-grid">
        <TextField label="New user's email" type="email" value={email} onChange={setEmail} error={failure.fields['email']} required autoComplete="off" />
        <TextField
          label="First password"
          type="password"
          value={password}
          onChange={setPassword}
          error={failure.fields['password']}
          required
          autoComplete="new-password"
        />
        <Field label="Role" error={failure.fields['role']}>
          {(control) => (
            <select {...control} value={role} onChange={(event) => setRole(event.target.value === 'owner' ? 'owner' : 'member')}>
              <option value="member">Member</option>
              <option value="owner">Owner</option>
            </select>
          )}
        </Field>
      </div>
      <p className="muted">
        Members work on clients, vendors and documents; owners also change settings, QuickBooks and users. A password has at
        least 8 characters; pass the first one on, and the new user can change it under Your password.
      </p>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          Add user
        </button>
      </div>
    </form>
  );
}
