import { useState, type FormEvent } from 'react';
import { TextField } from '../components/Field.js';

/** Email + password; the server sets the session cookie, the parent reloads the session. */
export function LoginPage({ onLogin }: { onLogin: (email: string, password: string) => Promise<string | null> }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setError(await onLogin(email, password));
    setBusy(false);
  };

  return (
    <div className="login">
      <form className="panel" onSubmit={(event) => void submit(event)} aria-label="Log in">
        <h1>Workroom</h1>
        <p className="muted">Log in to your studio</p>
        {error && (
          <div className="alert error" role="alert">
            {error}
          </div>
        )}
        <TextField label="Email" type="email" value={email} onChange={setEmail} required autoComplete="username" />
        <TextField
          label="Password"
          type="password"
          value={password}
          onChange={setPassword}
          required
          autoComplete="current-password"
        />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </div>
  );
}
