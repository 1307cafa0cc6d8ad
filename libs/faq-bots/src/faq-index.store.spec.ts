import { FaqIndexSource, FaqIndexStore } from './faq-index.store';

const source = (answer: string): FaqIndexSource => ({
  language: 'en',
  entries: [{ id: 'e1', questions: ['opening hours'], keywords: [], answer: { text: answer } }],
});

describe('FaqIndexStore', () => {
  it('builds a bot index once per version and rebuilds when the version changes', async () => {
    const store = new FaqIndexStore();
    const load = jest.fn().mockResolvedValueOnce(source('v1')).mockResolvedValueOnce(source('v2'));
    const a = await store.matcher('faq_1', 'r1', load);
    const b = await store.matcher('faq_1', 'r1', load);
    expect(b).toBe(a);
    expect(load).toHaveBeenCalledTimes(1);
    const c = await store.matcher('faq_1', 'r2', load);
    expect(c).not.toBe(a);
    expect(c.match('opening hours')[0]!.answer).toEqual({ text: 'v2' });
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('shares one build between concurrent requests', async () => {
    const store = new FaqIndexStore();
    let release!: (s: FaqIndexSource) => void;
    const load = jest.fn(() => new Promise<FaqIndexSource>((r) => (release = r)));
    const both = Promise.all([store.matcher('faq_1', 'r1', load), store.matcher('faq_1', 'r1', load)]);
    release(source('x'));
    const [a, b] = await both;
    expect(a).toBe(b);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('keeps no failed build, and keeps bots apart', async () => {
    const store = new FaqIndexStore();
    await expect(store.matcher('faq_1', 'r1', () => Promise.reject(new Error('db down')))).rejects.toThrow(
      'db down',
    );
    const load = jest.fn().mockResolvedValue(source('ok'));
    await store.matcher('faq_1', 'r1', load);
    await store.matcher('faq_2', 'r1', load);
    expect(load).toHaveBeenCalledTimes(2);
    store.forget('faq_1');
    await store.matcher('faq_1', 'r1', load);
    expect(load).toHaveBeenCalledTimes(3);
  });
});
