import type { ReactNode } from 'react';
import type { Category, Organisation, TaxCodeRecord } from '../../server/api/contract.js';
import { emptyLine, lineInputProblems, type LineDraft } from '../documentDraft.js';
import { formatAmount } from '../format.js';

interface LineEditorProps {
  readonly lines: readonly LineDraft[];
  readonly onChange: (lines: LineDraft[]) => void;
  /** round(qty × rate, 2) per line, from the live totals. */
  readonly amounts: readonly string[];
  readonly organisation: Organisation;
  readonly categories: readonly Category[];
  readonly taxCodes: readonly TaxCodeRecord[];
  /** Server field errors keyed "lines.<i>.<field>". */
  readonly errors: Readonly<Record<string, string>>;
}

/** The editable lines table; each input is labelled with its column and line number. */
export function LineEditor({ lines, onChange, amounts, organisation, categories, taxCodes, errors }: LineEditorProps) {
  const update = (index: number, changes: Partial<LineDraft>): void =>
    onChange(lines.map((line, i) => (i === index ? { ...line, ...changes } : line)));
  const usesTaxCodes = organisation.taxModel === 'tax_codes';

  return (
    <div className="panel flush">
      <table className="lines">
        <thead>
          <tr>
            <th className="col-desc">Description</th>
            <th>Category</th>
            <th className="num col-narrow">Qty</th>
            <th className="num col-narrow">Rate</th>
            <th className="num col-narrow">Markup %</th>
            <th className="num col-narrow">Vendor disc. %</th>
            <th className={usesTaxCodes ? 'col-tax' : undefined}>{usesTaxCodes ? 'Tax code' : 'Taxable'}</th>
            <th className="num">Amount</th>
            <th aria-label="Remove" />
          </tr>
        </thead>
        <tbody>
          {lines.map((line, index) => {
            const n = index + 1;
            const problems = lineInputProblems(line);
            const err = (field: string): string | undefined => errors[`lines.${index}.${field}`];
            const lineErrors = ['description', 'quantity', 'rate', 'categoryId', 'taxCodeId', 'markupPercent', 'vendorDiscountPercent']
              .map((field) => err(field))
              .filter((message): message is string => Boolean(message));
            return (
              <LineRow key={line.key} errors={lineErrors} columns={9}>
                <td>
                  <input
                    aria-label={`Description, line ${n}`}
                    value={line.description}
                    aria-invalid={Boolean(err('description'))}
                    onChange={(event) => update(index, { description: event.target.value })}
                  />
                </td>
                <td>
                  <select
                    aria-label={`Category, line ${n}`}
                    value={line.categoryId}
                    aria-invalid={Boolean(err('categoryId'))}
                    onChange={(event) => update(index, { categoryId: event.target.value })}
                  >
                    <option value="">—</option>
                    {categories.map((category) => (
                      <option key={category.id} value={category.id}>
                        {category.name}
                      </option>
                    ))}
                  </select>
                </td>
                <td className="num">
                  <input
                    aria-label={`Quantity, line ${n}`}
                    inputMode="decimal"
                    value={line.quantity}
                    aria-invalid={problems.quantity || Boolean(err('quantity'))}
                    onChange={(event) => update(index, { quantity: event.target.value })}
                  />
                </td>
                <td className="num">
                  <input
                    aria-label={`Rate, line ${n}`}
                    inputMode="decimal"
                    value={line.rate}
                    aria-invalid={problems.rate || Boolean(err('rate'))}
                    onChange={(event) => update(index, { rate: event.target.value })}
                  />
                </td>
                <td className="num">
                  <input
                    aria-label={`Markup %, line ${n}`}
                    inputMode="decimal"
                    value={line.markupPercent}
                    aria-invalid={Boolean(err('markupPercent'))}
                    onChange={(event) => update(index, { markupPercent: event.target.value })}
                  />
                </td>
                <td className="num">
                  <input
                    aria-label={`Vendor discount %, line ${n}`}
                    inputMode="decimal"
                    value={line.vendorDiscountPercent}
                    aria-invalid={Boolean(err('vendorDiscountPercent'))}
                    onChange={(event) => update(index, { vendorDiscountPercent: event.target.value })}
                  />
                </td>
                <td>
                  {usesTaxCodes ? (
                    <select
                      aria-label={`Tax code, line ${n}`}
                      value={line.taxCodeId}
                      aria-invalid={Boolean(err('taxCodeId'))}
                      onChange={(event) => update(index, { taxCodeId: event.target.value })}
                    >
                      <option value="">No tax</option>
                      {taxCodes.map((code) => (
                        <option key={code.id} value={code.id}>
                          {code.name}
                        </option>
                      ))}
                    </select>
                  ) : (
                    <input
                      type="checkbox"
                      aria-label={`Taxable, line ${n}`}
                      checked={line.taxable}
                      onChange={(event) => update(index, { taxable: event.target.checked })}
                    />
                  )}
                </td>
                <td className="num" aria-label={`Amount, line ${n}`}>
                  {formatAmount(amounts[index] ?? '0')}
                </td>
                <td>
                  <button
                    type="button"
                    className="link danger"
                    aria-label={`Remove line ${n}`}
                    onClick={() => onChange(lines.filter((_, i) => i !== index))}
                  >
                    ✕
                  </button>
                </td>
              </LineRow>
            );
          })}
        </tbody>
      </table>
      <div style={{ padding: '10px 12px' }}>
        <button type="button" onClick={() => onChange([...lines, emptyLine()])}>
          Add line
        </button>
        {errors['lines'] && (
          <span className="field-error" role="alert" style={{ marginLeft: 12 }}>
            {errors['lines']}
          </span>
        )}
      </div>
    </div>
  );
}

/** A line's inputs, followed by a row with the server's messages for that line when there are any. */
function LineRow({ errors, columns, children }: { errors: readonly string[]; columns: number; children: ReactNode }) {
  return (
    <>
      <tr>{children}</tr>
      {errors.length > 0 && (
        <tr>
          <td colSpan={columns} className="field-error" role="alert">
            {errors.join(' · ')}
          </td>
        </tr>
      )}
    </>
  );
}
