import { IANAZone } from 'luxon';
import { formatWall, parseDateTime, resolveWall, timeZoneOf, wallOf } from './wall-time.policy';

const wall = (iso: string) => Date.parse(`${iso}Z`);
const instant = (w: number, zone: string) => new Date(resolveWall(w, IANAZone.create(zone))).toISOString();

describe('wall time', () => {
  it.each([
    // zone, wall time, instant, why
    [
      'Europe/Berlin',
      '2026-03-29T02:30',
      '2026-03-29T01:30:00.000Z',
      'gap: forward by the hour (03:30 CEST)',
    ],
    ['Europe/Berlin', '2026-10-25T02:30', '2026-10-25T00:30:00.000Z', 'repeated: the first (CEST)'],
    ['America/New_York', '2026-03-08T02:30', '2026-03-08T07:30:00.000Z', 'gap: 03:30 EDT'],
    ['America/New_York', '2026-11-01T01:30', '2026-11-01T05:30:00.000Z', 'repeated: the first (EDT)'],
    ['Australia/Lord_Howe', '2026-10-04T02:15', '2026-10-03T15:45:00.000Z', 'a 30-minute gap: 02:45 +11'],
    ['Australia/Lord_Howe', '2026-04-05T01:45', '2026-04-04T14:45:00.000Z', 'a repeated half hour: +11'],
    ['Asia/Kolkata', '2026-07-01T09:00', '2026-07-01T03:30:00.000Z', 'a half-hour zone'],
    ['Pacific/Kiritimati', '2026-07-01T09:00', '2026-06-30T19:00:00.000Z', 'UTC+14'],
  ])('%s %s -> %s (%s)', (zone, local, expected) => {
    expect(instant(wall(local), zone)).toBe(expected);
  });

  it('wallOf reads an instant back as the wall time it shows', () => {
    const berlin = IANAZone.create('Europe/Berlin');
    expect(formatWall(wallOf(Date.parse('2026-03-29T01:30:00Z'), berlin))).toBe('2026-03-29T03:30');
    expect(formatWall(wallOf(Date.parse('2026-10-25T01:30:00Z'), berlin))).toBe('2026-10-25T02:30');
  });

  it('timeZoneOf corrects the case but keeps the name the user chose', () => {
    expect(timeZoneOf('europe/berlin', 'f').name).toBe('Europe/Berlin');
    expect(timeZoneOf('Asia/Kolkata', 'f').name).toBe('Asia/Kolkata');
    expect(() => timeZoneOf('Europe/Atlantis', 'schedule.timeZone')).toThrow(
      expect.objectContaining({
        code: 'invalid_time_zone',
        message: expect.stringContaining('schedule.timeZone'),
      }),
    );
  });

  it('parseDateTime: wall time without an offset, an instant with one', () => {
    const berlin = IANAZone.create('Europe/Berlin');
    expect(parseDateTime('2026-12-24T09:00', berlin, 'f')).toEqual({
      instant: Date.parse('2026-12-24T08:00:00Z'),
      wall: wall('2026-12-24T09:00'),
    });
    expect(parseDateTime('2026-12-24T08:00:00+00:00', berlin, 'f')).toEqual({
      instant: Date.parse('2026-12-24T08:00:00Z'),
      wall: wall('2026-12-24T09:00'),
    });
    for (const bad of [
      '2026-12-24',
      '2026-12-24 09:00',
      '2026-13-01T09:00',
      '24/12/2026 09:00',
      '2026-12-24T09:00+1',
    ]) {
      expect(() => parseDateTime(bad, berlin, 'schedule.at')).toThrow(
        expect.objectContaining({
          code: 'invalid_schedule',
          message: expect.stringContaining('schedule.at'),
        }),
      );
    }
  });
});
