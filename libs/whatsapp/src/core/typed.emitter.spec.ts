import { TypedEmitter } from './typed.emitter';

interface Events {
  a: { n: number };
  b: { s: string };
}

describe('TypedEmitter', () => {
  it('delivers payloads in subscription order; off/unsubscribe/once work', () => {
    const e = new TypedEmitter<Events>();
    const seen: string[] = [];
    const off = e.on('a', ({ n }) => void seen.push(`1:${n}`));
    e.on('a', ({ n }) => void seen.push(`2:${n}`));
    e.once('b', ({ s }) => void seen.push(`once:${s}`));
    e.emit('a', { n: 1 });
    e.emit('b', { s: 'x' });
    e.emit('b', { s: 'y' });
    off();
    e.emit('a', { n: 2 });
    expect(seen).toEqual(['1:1', '2:1', 'once:x', '2:2']);
    expect(e.listenerCount('a')).toBe(1);
    expect(e.listenerCount('b')).toBe(0);
  });

  it('a throwing or rejecting listener does not stop the others; errors are reported', async () => {
    const errors: unknown[] = [];
    const e = new TypedEmitter<Events>((event, err) => errors.push([event, (err as Error).message]));
    const seen: number[] = [];
    e.on('a', () => {
      throw new Error('sync');
    });
    e.on('a', async () => {
      throw new Error('async');
    });
    e.on('a', ({ n }) => void seen.push(n));
    e.emit('a', { n: 7 });
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual([7]);
    expect(errors).toEqual([
      ['a', 'sync'],
      ['a', 'async'],
    ]);
  });
});
