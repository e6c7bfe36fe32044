import { describe, expect, it } from 'vitest';
import { fmtMs, Report } from '../../../bench/lib/report.js';

describe('Report', () => {
  it('renders one table in section order, with verdicts only where a target was set', () => {
    const report = new Report();
    report.add('4 cost', 'payload', '12 µs');
    report.add('1 bulk push 200', 'ratio', '0.25', { text: '≥ 0.90', met: false });
    report.add('2 naive', 'docs/min', '183');
    report.add('1 bulk push 2,000', 'ratio', '0.96', { text: '≥ 0.90', met: true });
    const lines = report.render().split('\n');
    expect(lines[0]).toMatch(/^section\s+\| measure\s+\| value\s+\| target\s+\| verdict$/);
    const body = lines.filter((l) => !l.startsWith('-') && !l.startsWith('section'));
    expect(body.map((l) => l.split('|')[0]?.trim())).toEqual(['1 bulk push 200', '1 bulk push 2,000', '2 naive', '4 cost']);
    expect(body[0]).toContain('NOT MET');
    expect(body[1]).toMatch(/\| met$/);
    expect(body[3]).not.toMatch(/met/);
  });

  it('says "not available" instead of numbers for a section that could not run', () => {
    const report = new Report();
    report.notAvailable('3 scale-out', 'PostgreSQL unreachable');
    expect(report.render()).toContain('not available | PostgreSQL unreachable');
    expect((report.toJSON({}) as { unavailable: unknown[] }).unavailable).toEqual([{ section: '3 scale-out', reason: 'PostgreSQL unreachable' }]);
  });
});

describe('fmtMs', () => {
  it('switches to seconds from one second on', () => {
    expect(fmtMs(12.34)).toBe('12.3 ms');
    expect(fmtMs(1234)).toBe('1.23 s');
    expect(fmtMs(62_700)).toBe('62.7 s');
    expect(fmtMs(Number.NaN)).toBe('n/a');
  });
});
