import type { CompanyFacts } from '../connection/index.js';
import type { MappingProblem } from './problems.js';

/** What a builder needs to know about the connected QBO company. */
export type QboCompany = Pick<CompanyFacts, 'taxModel' | 'homeCurrency'>;

/** QBO's DocNumber limit. */
export const QBO_DOC_NUMBER_MAX = 21;

/** Header checks every transaction builder runs before touching lines. */
export function headerProblems(doc: { number: string; currency: string }, company: QboCompany): MappingProblem[] {
  const problems: MappingProblem[] = [];
  if (doc.currency.toUpperCase() !== company.homeCurrency.toUpperCase()) {
    problems.push({
      kind: 'currency_mismatch',
      documentCurrency: doc.currency,
      homeCurrency: company.homeCurrency,
      message: `${doc.number} is in ${doc.currency} but the QuickBooks company's home currency is ${company.homeCurrency}; only home-currency documents are pushed`,
    });
  }
  if (doc.number.length > QBO_DOC_NUMBER_MAX) {
    problems.push({
      kind: 'doc_number_too_long',
      docNumber: doc.number,
      maxLength: QBO_DOC_NUMBER_MAX,
      message: `document number "${doc.number}" has ${doc.number.length} characters; QuickBooks allows at most ${QBO_DOC_NUMBER_MAX}`,
    });
  }
  return problems;
}
