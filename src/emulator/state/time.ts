/**
 * QBO stamps times in the company's zone with an explicit offset ("2020-12-15T04:54:25.476-08:00");
 * the emulator uses Pacific time for every company, as Intuit's own sandbox responses do.
 */
const ZONE = 'America/Los_Angeles';

const partsFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

interface Zoned {
  readonly date: string;
  readonly time: string;
  readonly offset: string;
}

// formatToParts is costly, and a batch stamps every record it writes (and dates its due dates) within a few seconds.
const bySecond = new Map<number, Zoned>();
const REMEMBERED_SECONDS = 256;

function zoned(ms: number): Zoned {
  const second = Math.floor(ms / 1000);
  let found = bySecond.get(second);
  if (found === undefined) {
    if (bySecond.size >= REMEMBERED_SECONDS) bySecond.clear();
    found = zonedAt(ms);
    bySecond.set(second, found);
  }
  return found;
}

function zonedAt(ms: number): Zoned {
  const parts = Object.fromEntries(partsFormat.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  const date = `${parts['year']}-${parts['month']}-${parts['day']}`;
  const time = `${parts['hour']}:${parts['minute']}:${parts['second']}`;
  const asUtc = Date.parse(`${date}T${time}Z`);
  const offsetMin = Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return { date, time, offset };
}

/** MetaData.CreateTime / LastUpdatedTime: seconds precision. */
export function qboDateTime(ms: number): string {
  const z = zoned(ms);
  return `${z.date}T${z.time}${z.offset}`;
}

/** The `time` field of every response: milliseconds precision. */
export function qboResponseTime(ms: number): string {
  const z = zoned(ms);
  const millis = String(((ms % 1000) + 1000) % 1000).padStart(3, '0');
  return `${z.date}T${z.time}.${millis}${z.offset}`;
}

/** The company's calendar date (YYYY-MM-DD) at an instant. */
export function qboDate(ms: number): string {
  return zoned(ms).date;
}
