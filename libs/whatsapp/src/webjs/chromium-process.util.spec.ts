import {
  connectionMarker,
  findMarkedProcesses,
  parseCmdline,
  parseProcStat,
  ProcInfo,
  withDescendants,
} from './chromium-process.util';
import { chromiumArgs } from './chromium-launch.options';

describe('Chromium processes', () => {
  it('parses /proc/<pid>/stat even with spaces and parentheses in the name', () => {
    expect(parseProcStat('4242 (chromium) S 4200 4242 4242 0 -1')).toEqual({
      pid: 4242,
      ppid: 4200,
      state: 'S',
    });
    expect(parseProcStat('77 (Web Content (x)) Z 1 77 77')).toEqual({ pid: 77, ppid: 1, state: 'Z' });
    expect(parseProcStat('garbage')).toBeUndefined();
  });

  it('parses NUL-separated command lines', () => {
    expect(parseCmdline('/usr/lib/chromium/chromium\0--no-sandbox\0--wa-connection=c1\0')).toEqual([
      '/usr/lib/chromium/chromium',
      '--no-sandbox',
      '--wa-connection=c1',
    ]);
  });

  it('marks connections with a safe, exact argument', () => {
    expect(connectionMarker('con_01J/../x y')).toBe('--wa-connection=con_01J____x_y');
    const args = chromiumArgs({ connectionId: 'c1', maxOldSpaceMb: 256, extraArgs: ['--foo'] });
    expect(args.at(-1)).toBe('--wa-connection=c1');
    expect(args).toEqual(expect.arrayContaining(['--disable-dev-shm-usage', '--disable-gpu', '--foo']));
    expect(args).toContain('--js-flags=--max-old-space-size=256');
    expect(chromiumArgs({ connectionId: 'c1', lean: false }).length).toBeLessThan(args.length);
  });

  it('finds marked browsers (exact match, no zombies) and their whole process tree', () => {
    const procs: ProcInfo[] = [
      { pid: 10, ppid: 1, state: 'S', args: ['chromium', '--wa-connection=c1'] },
      { pid: 11, ppid: 10, state: 'S', args: ['chromium', '--type=zygote'] },
      { pid: 12, ppid: 11, state: 'S', args: ['chromium', '--type=renderer'] },
      { pid: 13, ppid: 10, state: 'Z', args: [] },
      { pid: 20, ppid: 1, state: 'S', args: ['chromium', '--wa-connection=c10'] },
      { pid: 21, ppid: 1, state: 'Z', args: ['chromium', '--wa-connection=c1'] },
    ];
    expect(findMarkedProcesses('--wa-connection=c1', procs)).toEqual([10]);
    expect(withDescendants([10], procs).sort()).toEqual([10, 11, 12]);
  });
});
