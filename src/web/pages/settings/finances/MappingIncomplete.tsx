import { QBO_MAPPING_PAGE_PATH } from '../../../../server/routes/qbo-mapping/contract.js';
import { useLoad } from '../../../hooks.js';
import { Link } from '../../../router.js';
import { mappingFieldLabel } from './mapping-labels.js';
import { fetchMappingGaps } from './mapping-api.js';

/**
 * Before a bulk push: which mapping slots would make pushes fail, named as the mapping page names them, so a
 * studio fixes the mapping once instead of reading the same refusal on every document. Says nothing when the
 * mapping is complete, and nothing when it cannot be read (the connection banner speaks for that).
 */
export function MappingIncomplete() {
  const [mapping] = useLoad(fetchMappingGaps, []);
  if (mapping.state !== 'ready') return null;
  const view = mapping.data;
  const failing = view.warnings.map((w) => mappingFieldLabel(w.field, view));
  if (failing.length === 0) return null;
  return (
    <div className="alert warn" data-testid="mapping-incomplete">
      <strong>Some pushes will fail until the QuickBooks mapping is complete:</strong> {failing.join(', ')}.{' '}
      <Link to={QBO_MAPPING_PAGE_PATH}>Map them in Settings → Finances → QuickBooks</Link>.
    </div>
  );
}
