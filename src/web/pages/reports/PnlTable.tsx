import { useState, type ReactNode } from 'react';
import type { PnlAmount, PnlNode, PnlReport, PnlSection } from '../../../server/routes/qbo-reports/contract.js';
import { pnlAmountText } from './pnl-view.js';

interface RowsProps {
  readonly nodes: readonly PnlNode[];
  readonly depth: number;
  readonly width: number;
  readonly path: string;
  readonly collapsed: ReadonlySet<string>;
  readonly onToggle: (key: string) => void;
}

function AmountCells({ amounts, width }: { amounts: readonly PnlAmount[]; width: number }) {
  return (
    <>
      {Array.from({ length: width }, (_, i) => (
        <td key={i} className="num">
          {pnlAmountText(amounts[i])}
        </td>
      ))}
    </>
  );
}

function indent(depth: number): { paddingLeft: string } {
  return { paddingLeft: `${12 + depth * 20}px` };
}

function SectionRows({ node, depth, width, path, collapsed, onToggle }: Omit<RowsProps, 'nodes'> & { node: PnlSection }) {
  const isCollapsed = collapsed.has(path);
  const kind = node.group ? 'pnl-group' : 'pnl-parent';
  if (!node.hasHeader) {
    // Gross Profit, Net Operating Income, Net Income…: one computed total line.
    return (
      <tr className={`pnl-total pnl-key-total ${node.group === 'NetIncome' ? 'pnl-net-income' : ''}`} data-group={node.group ?? undefined}>
        <th scope="row" style={indent(depth)}>
          {node.summary?.label ?? node.label}
        </th>
        <AmountCells amounts={node.summary?.amounts ?? []} width={width} />
      </tr>
    );
  }
  const collapsible = node.children.length > 0;
  // Collapsed, QBO shows the section's total on its header line and hides the rest, as here.
  const headerAmounts = isCollapsed && node.summary ? node.summary.amounts : node.headerAmounts;
  return (
    <>
      <tr className={`pnl-header ${kind}`} data-group={node.group ?? undefined}>
        <th scope="row" style={indent(depth)}>
          {collapsible ? (
            <button
              type="button"
              className="pnl-toggle"
              aria-expanded={!isCollapsed}
              aria-label={`${isCollapsed ? 'Expand' : 'Collapse'} ${node.label}`}
              onClick={() => onToggle(path)}
            >
              <span aria-hidden="true" className="pnl-caret">
                {isCollapsed ? '▸' : '▾'}
              </span>
              {node.label}
            </button>
          ) : (
            node.label
          )}
        </th>
        <AmountCells amounts={headerAmounts} width={width} />
      </tr>
      {!isCollapsed && (
        <>
          <Rows nodes={node.children} depth={depth + 1} width={width} path={path} collapsed={collapsed} onToggle={onToggle} />
          {node.summary && (
            <tr className={`pnl-total ${kind}-total`} data-group={node.group ?? undefined}>
              <th scope="row" style={indent(depth)}>
                {node.summary.label}
              </th>
              <AmountCells amounts={node.summary.amounts} width={width} />
            </tr>
          )}
        </>
      )}
    </>
  );
}

function Rows({ nodes, depth, width, path, collapsed, onToggle }: RowsProps): ReactNode {
  return nodes.map((node, i) => {
    const key = `${path}/${i}:${node.label}`;
    if (node.kind === 'line') {
      return (
        <tr key={key} className="pnl-line">
          <th scope="row" style={indent(depth)}>
            {node.label}
          </th>
          <AmountCells amounts={node.amounts} width={width} />
        </tr>
      );
    }
    return <SectionRows key={key} node={node} depth={depth} width={width} path={key} collapsed={collapsed} onToggle={onToggle} />;
  });
}

/** QBO's P&L layout: sections with indented accounts, sub-accounts nested, subtotals, every section collapsible. */
export function PnlTable({ report }: { report: PnlReport }) {
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const toggle = (key: string): void =>
    setCollapsed((was) => {
      const next = new Set(was);
      if (!next.delete(key)) next.add(key);
      return next;
    });
  const width = report.columns.length;
  return (
    <table className="pnl-table" data-testid="pnl-table">
      <thead>
        <tr>
          <th scope="col">
            <span className="visually-hidden">Account</span>
          </th>
          {report.columns.map((column, i) => (
            <th key={`${i}:${column.title}`} scope="col" className="num">
              {column.title}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        <Rows nodes={report.rows} depth={0} width={width} path="" collapsed={collapsed} onToggle={toggle} />
      </tbody>
    </table>
  );
}
