import { describe, expect, it } from 'vitest';
import { isTimeZone, localDayOf, localDayRange } from '../../device/store/local-day.ts';

describe("the store's local day", () => {
  it('runs from local midnight to local midnight', () => {
    expect(localDayRange('2026-12-04', 'America/New_York')).toEqual({ start: '2026-12-04T05:00:00.000Z', end: '2026-12-05T05:00:00.000Z' });
    expect(localDayRange('2026-12-04', 'Asia/Kathmandu')).toEqual({ start: '2026-12-03T18:15:00.000Z', end: '2026-12-04T18:15:00.000Z' });
    expect(localDayRange('2026-12-31', 'UTC')).toEqual({ start: '2026-12-31T00:00:00.000Z', end: '2027-01-01T00:00:00.000Z' });
  });

  it('is 23 or 25 hours long on the days the clocks change', () => {
    const hours = (day: string, zone: string) => {
      const { start, end } = localDayRange(day, zone);
      return (Date.parse(end) - Date.parse(start)) / 3_600_000;
    };
    expect(hours('2026-03-08', 'America/New_York')).toBe(23);
    expect(hours('2026-11-01', 'America/New_York')).toBe(25);
    expect(hours('2026-03-29', 'Europe/London')).toBe(23);
    expect(hours('2026-10-25', 'Europe/London')).toBe(25);
    expect(hours('2026-07-01', 'Europe/London')).toBe(24);
  });

  it('names the local day of an instant', () => {
    expect(localDayOf('2026-12-05T02:30:00.000Z', 'America/New_York')).toBe('2026-12-04');
    expect(localDayOf('2026-12-05T02:30:00.000Z', 'UTC')).toBe('2026-12-05');
    expect(localDayOf('2026-12-04T18:15:00.000Z', 'Asia/Kathmandu')).toBe('2026-12-05');
  });

  it('knows a time zone from a typo', () => {
    expect(isTimeZone('Europe/London')).toBe(true);
    expect(isTimeZone('Europe/Londn')).toBe(false);
    expect(() => localDayRange('4 Dec', 'UTC')).toThrow(/YYYY-MM-DD/);
  });
});
