import { cpus, platform, release, totalmem } from 'node:os';

export type Verdict = 'met' | 'NOT MET' | '';

export interface Row {
  readonly section: string;
  readonly measure: string;
  readonly value: string;
  readonly target: string;
  readonly verdict: Verdict;
}

type Cells = Record<keyof Row, string>;

/** One table for the whole run, plus the structured figures behind it for bench/results/latest.json. */
export class Report {
  readonly rows: Row[] = [];
  readonly details: Record<string, unknown> = {};
  readonly unavailable: { section: string; reason: string }[] = [];
  readonly startedAt = new Date();

  add(section: string, measure: string, value: string, target?: { text: string; met: boolean }): void {
    this.rows.push({ section, measure, value, target: target?.text ?? '', verdict: target === undefined ? '' : target.met ? 'met' : 'NOT MET' });
  }

  /** A section that could not run: said in the table, never replaced by made-up numbers. */
  notAvailable(section: string, reason: string): void {
    this.unavailable.push({ section, reason });
    this.add(section, 'not available', reason);
  }

  detail(key: string, value: unknown): void {
    this.details[key] = value;
  }

  render(): string {
    const header: Cells = { section: 'section', measure: 'measure', value: 'value', target: 'target', verdict: 'verdict' };
    const widths = (['section', 'measure', 'value', 'target', 'verdict'] as const).map((k) =>
      Math.max(...[header, ...this.rows].map((r) => r[k].length)),
    );
    const line = (r: Cells): string =>
      [r.section, r.measure, r.value, r.target, r.verdict].map((cell, i) => cell.padEnd(widths[i] as number)).join(' | ').trimEnd();
    const rule = widths.map((w) => '-'.repeat(w)).join('-|-');
    const out = [line(header), rule];
    let previous: string | undefined;
    // Sections run in the order the realms' windows need (cost first, baseline between the bulk pushes) but
    // read in the order: a stable sort on the leading section number.
    const order = (r: Row): number => Number.parseInt(r.section, 10) || Number.MAX_SAFE_INTEGER;
    const rows = this.rows.map((row, i) => ({ row, i })).sort((a, b) => order(a.row) - order(b.row) || a.i - b.i);
    for (const { row } of rows) {
      if (previous !== undefined && row.section !== previous) out.push(rule);
      out.push(line(row));
      previous = row.section;
    }
    return out.join('\n');
  }

  toJSON(options: unknown): unknown {
    return {
      startedAt: this.startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGB: Math.round(totalmem() / 2 ** 30), platform: `${platform()} ${release()}`, node: process.version },
      options,
      table: this.rows,
      unavailable: this.unavailable,
      details: this.details,
    };
  }
}

export function fmtInt(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a';
}

export function fmtNum(n: number, digits = 2): string {
  return Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a';
}

export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  return ms >= 10_000 ? `${fmtNum(ms / 1000, 1)} s` : ms >= 1000 ? `${fmtNum(ms / 1000, 2)} s` : `${fmtNum(ms, 1)} ms`;
}
