import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { QBO_ERROR_CATALOG, QBO_ERROR_CODES } from '../../../src/qbo/client/index.js';

describe('error catalog', () => {
  const doc = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');

  it.each(QBO_ERROR_CODES)('%s is documented in docs/errors.md with its Sync Center wording', (code) => {
    const row = doc.split('\n').find((line) => line.startsWith(`| \`${code}\` |`));
    expect(row, `docs/errors.md has no row for ${code}`).toBeDefined();
    expect(row).toContain(QBO_ERROR_CATALOG[code].syncCenter);
  });

  it('documents no code the catalog does not have', () => {
    const documented = [...doc.matchAll(/^\| `(qbo_[a-z_]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual([...QBO_ERROR_CODES].sort());
  });
});
