import { describe, expect, it } from 'vitest';
import { qboDate, qboDateTime, qboResponseTime } from '../../../src/emulator/state/time.js';

const at = (iso: string): number => Date.parse(iso);

describe('QBO time stamps (Pacific time with an explicit offset)', () => {
  it('writes standard and daylight time with their offsets', () => {
    expect(qboDateTime(at('2026-01-15T12:00:00.250Z'))).toBe('2026-01-15T04:00:00-08:00');
    expect(qboDateTime(at('2026-07-01T12:00:00.250Z'))).toBe('2026-07-01T05:00:00-07:00');
  });

  it('changes offset at the daylight-saving second, not before', () => {
    expect(qboDateTime(at('2026-03-08T09:59:59.999Z'))).toBe('2026-03-08T01:59:59-08:00');
    expect(qboDateTime(at('2026-03-08T10:00:00.000Z'))).toBe('2026-03-08T03:00:00-07:00');
  });

  it('answers each instant for itself when calls alternate between seconds', () => {
    const winter = at('2026-01-15T12:00:00.100Z');
    const summer = at('2026-07-01T12:00:00.900Z');
    expect([winter, summer, winter, summer].map(qboResponseTime)).toEqual([
      '2026-01-15T04:00:00.100-08:00',
      '2026-07-01T05:00:00.900-07:00',
      '2026-01-15T04:00:00.100-08:00',
      '2026-07-01T05:00:00.900-07:00',
    ]);
  });

  it('keeps the milliseconds of instants within the same second apart', () => {
    expect(qboResponseTime(at('2026-11-25T08:30:15.007Z'))).toBe('2026-11-25T00:30:15.007-08:00');
    expect(qboResponseTime(at('2026-11-25T08:30:15.993Z'))).toBe('2026-11-25T00:30:15.993-08:00');
  });

  it("dates an instant by the company's calendar, not UTC's", () => {
    expect(qboDate(at('2026-11-25T07:59:59Z'))).toBe('2026-11-24');
    expect(qboDate(at('2026-11-25T08:00:00Z'))).toBe('2026-11-25');
  });
});
