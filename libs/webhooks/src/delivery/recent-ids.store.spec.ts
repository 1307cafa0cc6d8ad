import { RecentIdsStore } from './recent-ids.store';

const MEMORY_MS = 10_000;
const T0 = 1_700_000_000_000;

describe('RecentIdsStore', () => {
  let store: RecentIdsStore;
  beforeEach(() => {
    store = new RecentIdsStore(MEMORY_MS);
  });

  it('knows only the ids it was given', () => {
    store.add('dlv_a', T0);
    expect(store.has('dlv_a')).toBe(true);
    expect(store.has('dlv_b')).toBe(false);
  });

  it('keeps an id through the next rotation', () => {
    store.add('dlv_a', T0);
    store.add('dlv_b', T0 + MEMORY_MS + 1);
    expect(store.has('dlv_a')).toBe(true);
    expect(store.has('dlv_b')).toBe(true);
  });

  it('forgets an id two rotations later', () => {
    store.add('dlv_a', T0);
    store.add('dlv_b', T0 + MEMORY_MS + 1);
    store.add('dlv_c', T0 + 2 * MEMORY_MS + 2);
    expect(store.has('dlv_a')).toBe(false);
    expect(store.has('dlv_b')).toBe(true);
    expect(store.has('dlv_c')).toBe(true);
  });

  it('keeps an id added just before a rotation for at least the memory', () => {
    store.add('dlv_a', T0);
    store.add('dlv_late', T0 + MEMORY_MS);
    store.add('dlv_b', T0 + MEMORY_MS + 1);
    // Rotations need new ids: the last one here comes a full memory after dlv_late.
    store.add('dlv_c', T0 + 2 * MEMORY_MS);
    expect(store.has('dlv_late')).toBe(true);
    store.add('dlv_d', T0 + 2 * MEMORY_MS + 2);
    expect(store.has('dlv_late')).toBe(false);
  });

  it('does not rotate within the memory, however many ids come in', () => {
    for (let i = 0; i < 100; i++) store.add(`dlv_${i}`, T0 + i * 100);
    expect(store.has('dlv_0')).toBe(true);
    expect(store.has('dlv_99')).toBe(true);
  });
});
