/** A document's lifecycle state as a coloured chip; the text stays readable without colour. */
export function StatusChip({ status }: { status: string }) {
  return <span className={`chip ${status}`}>{status}</span>;
}
