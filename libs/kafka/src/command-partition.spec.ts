import { commandPartition } from './command-partition';

describe('commandPartition', () => {
  it('is stable for a connection and within range', () => {
    const p = commandPartition('con_01JDQ8Z0A1B2C3D4E5F6G7H8J9', 6);
    expect(p).toBe(commandPartition('con_01JDQ8Z0A1B2C3D4E5F6G7H8J9', 6));
    expect(p).toBeGreaterThanOrEqual(0);
    expect(p).toBeLessThan(6);
  });

  it('spreads connections over every partition', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) seen.add(commandPartition(`con_${i}`, 6));
    expect([...seen].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('rejects a nonsensical partition count', () => {
    expect(() => commandPartition('con_x', 0)).toThrow(/invalid partition count/);
  });
});
