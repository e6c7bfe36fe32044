import { Link } from '../router.js';

export function NotFoundPage() {
  return (
    <div className="panel empty">
      <h1>Page not found</h1>
      <p>
        Nothing lives at this address. <Link to="/invoices">Go to invoices</Link>
      </p>
    </div>
  );
}
