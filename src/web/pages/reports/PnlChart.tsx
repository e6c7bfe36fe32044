import type { Decimal } from 'decimal.js';
import { formatAmount } from '../../format.js';
import type { PnlFigures } from './pnl-view.js';

const SERIES = [
  { key: 'income', label: 'Income', className: 'pnl-bar-income' },
  { key: 'expenses', label: 'Expenses', className: 'pnl-bar-expenses' },
  { key: 'net', label: 'Net income', className: 'pnl-bar-net' },
] as const;

const HEIGHT = 150;
const PAD_TOP = 14;
const PAD_BOTTOM = 22;
const BAR = 18;
const BAR_GAP = 4;
const GROUP_GAP = 28;

/**
 * Income, expenses and net income per period as plain SVG bars around a zero line. Geometry only uses
 * numbers; every amount shown in text comes from the decimals.
 */
export function PnlChart({ figures, currency }: { figures: readonly PnlFigures[]; currency: string | null }) {
  const values = figures.flatMap((f) => [f.income, f.expenses, f.net]);
  const max = Math.max(0, ...values.map((v) => v.toNumber()));
  const min = Math.min(0, ...values.map((v) => v.toNumber()));
  const span = max - min || 1;
  const plot = HEIGHT - PAD_TOP - PAD_BOTTOM;
  const y = (v: number): number => PAD_TOP + ((max - v) / span) * plot;
  const zero = y(0);
  const groupWidth = SERIES.length * BAR + (SERIES.length - 1) * BAR_GAP;
  const width = Math.max(240, figures.length * (groupWidth + GROUP_GAP) + GROUP_GAP);
  const money = (v: Decimal): string => `${formatAmount(v)}${currency ? ` ${currency}` : ''}`;
  const only = figures.length === 1 ? figures[0] : undefined;
  const summary = figures
    .map((f) => `${f.title}: income ${money(f.income)}, expenses ${money(f.expenses)}, net income ${money(f.net)}`)
    .join('; ');

  return (
    <figure className="pnl-chart" data-testid="pnl-chart">
      <svg viewBox={`0 0 ${width} ${HEIGHT}`} width={width} height={HEIGHT} role="img" aria-label={summary}>
        <line x1={0} x2={width} y1={zero} y2={zero} className="pnl-zero" />
        {figures.map((f, g) => {
          const x0 = GROUP_GAP + g * (groupWidth + GROUP_GAP);
          return (
            <g key={`${g}:${f.title}`}>
              {SERIES.map((s, i) => {
                const value = f[s.key];
                const top = Math.min(y(value.toNumber()), zero);
                const height = Math.max(Math.abs(y(value.toNumber()) - zero), value.isZero() ? 0 : 1);
                return (
                  <rect
                    key={s.key}
                    x={x0 + i * (BAR + BAR_GAP)}
                    y={top}
                    width={BAR}
                    height={height}
                    className={`${s.className}${value.isNegative() ? ' negative' : ''}`}
                    data-series={s.key}
                    data-value={value.toFixed(2)}
                  >
                    <title>{`${s.label}: ${money(value)}`}</title>
                  </rect>
                );
              })}
              <text x={x0 + groupWidth / 2} y={HEIGHT - 6} textAnchor="middle" className="pnl-axis">
                {f.title}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="pnl-legend">
        {SERIES.map((s) => (
          <span key={s.key}>
            <i className={s.className} aria-hidden="true" /> {s.label}
            {/* With one period the legend carries the figures; with several, each bar's tooltip does. */}
            {only && <strong className="pnl-legend-value"> {formatAmount(only[s.key])}</strong>}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
