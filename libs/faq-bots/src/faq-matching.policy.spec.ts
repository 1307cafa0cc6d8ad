import { FaqEntryData, FaqMatcher, KEYWORD_WEIGHT } from './faq-matching.policy';

const DEFAULT_THRESHOLD = 0.35;

const english: FaqEntryData[] = [
  {
    id: 'hours',
    questions: ['What are your opening hours?', 'When are you open?'],
    keywords: ['schedule'],
    answer: { text: 'Mon-Fri 9-18' },
  },
  {
    id: 'password',
    questions: ['How do I reset my password?', 'I forgot my password'],
    keywords: [],
    answer: { text: 'Use the reset link' },
  },
  {
    id: 'shipping',
    questions: ['How long does shipping take?', 'When will my order arrive?'],
    keywords: ['delivery', 'tracking'],
    answer: { templateId: 'tpl_1' },
  },
  {
    id: 'refund',
    questions: ['Can I get my money back?'],
    keywords: ['refund'],
    answer: { text: 'Within 30 days' },
  },
  {
    id: 'pricing',
    questions: ['How much does the premium plan cost?'],
    keywords: [],
    answer: { text: '$9' },
  },
];

describe('FaqMatcher', () => {
  const matcher = new FaqMatcher(english, 'en');

  it('ranks the entry of an exact variant first, with a score of 1', () => {
    const [best, second] = matcher.match('How do I reset my password?');
    expect(best).toMatchObject({ entryId: 'password', question: 'How do I reset my password?', score: 1 });
    expect(best!.answer).toEqual({ text: 'Use the reset link' });
    expect(second?.score ?? 0).toBeLessThan(DEFAULT_THRESHOLD);
  });

  it('names the variant that matched best', () => {
    expect(matcher.match('when will my order arrive')[0]).toMatchObject({
      entryId: 'shipping',
      question: 'When will my order arrive?',
      score: 1,
    });
  });

  it('covers a variant inside a longer message and ignores case, punctuation and filler', () => {
    const [best] = matcher.match('Hi there!!! what are your OPENING HOURS on saturday, please?');
    expect(best).toMatchObject({ entryId: 'hours' });
    expect(best!.score).toBeGreaterThan(0.9);
  });

  it('still matches with a typo, above the default threshold but below an exact match', () => {
    const [best] = matcher.match('pasword reset');
    expect(best!.entryId).toBe('password');
    expect(best!.score).toBeGreaterThan(DEFAULT_THRESHOLD);
    expect(best!.score).toBeLessThan(1);
  });

  it('matches a prefix of a word', () => {
    const [best] = matcher.match('open hours');
    expect(best!.entryId).toBe('hours');
    expect(best!.score).toBeGreaterThan(DEFAULT_THRESHOLD);
  });

  it('scores an unrelated question below the default threshold', () => {
    for (const text of ['Do you sell gift cards?', 'What is the weather like tomorrow', 'ok thanks', '👍']) {
      const best = matcher.match(text)[0];
      expect(best?.score ?? 0).toBeLessThan(DEFAULT_THRESHOLD);
    }
  });

  it('lets a keyword alone match, and boosts an entry over one that only shares a variant word', () => {
    const [refund] = matcher.match('refund');
    expect(refund).toMatchObject({
      entryId: 'refund',
      question: 'Can I get my money back?',
      score: KEYWORD_WEIGHT,
    });

    // "arrive" is a word of a shipping variant, "tracking" a keyword of shipping too: both add up.
    const withKeyword = matcher.match('tracking')[0]!;
    const both = matcher.match('tracking arrive')[0]!;
    expect(withKeyword.entryId).toBe('shipping');
    expect(both.entryId).toBe('shipping');
    expect(both.score).toBeGreaterThan(withKeyword.score);
  });

  it('puts the keyword entry first when two entries share the words of the message', () => {
    const entries: FaqEntryData[] = [
      { id: 'a', questions: ['battery life of the phone'], keywords: [], answer: { text: 'A' } },
      {
        id: 'b',
        questions: ['battery replacement for the phone'],
        keywords: ['battery'],
        answer: { text: 'B' },
      },
    ];
    const ranked = new FaqMatcher(entries, 'en').match('phone battery');
    expect(ranked.map((c) => c.entryId)).toEqual(['b', 'a']);
  });

  it('returns at most five candidates, best first', () => {
    const many = Array.from({ length: 8 }, (_, i) => ({
      id: `e${i}`,
      questions: [`order status number ${i}`],
      keywords: [],
      answer: { text: String(i) },
    }));
    const ranked = new FaqMatcher(many, 'en').match('order status number 3');
    expect(ranked).toHaveLength(5);
    expect(ranked[0]).toMatchObject({ entryId: 'e3', score: 1 });
    const scores = ranked.map((c) => c.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('matches Spanish and Portuguese without stemming: accents, plurals and word order', () => {
    const es = new FaqMatcher(
      [
        { id: 'envio', questions: ['¿Hacen envíos a domicilio?'], keywords: [], answer: { text: 'Sí' } },
        {
          id: 'horario',
          questions: ['¿Cuál es el horario de atención?'],
          keywords: [],
          answer: { text: '9-18' },
        },
      ],
      'es',
    );
    expect(es.match('hacen envio a domicilio')[0]).toMatchObject({ entryId: 'envio' });
    expect(es.match('hacen envio a domicilio')[0]!.score).toBeGreaterThan(0.6);
    expect(es.match('horario atencion')[0]).toMatchObject({ entryId: 'horario', score: 1 });

    const pt = new FaqMatcher(
      [
        { id: 'prazo', questions: ['Qual é o prazo de entrega?'], keywords: [], answer: { text: '3 dias' } },
        {
          id: 'troca',
          questions: ['Como faço para trocar um produto?'],
          keywords: ['devolução'],
          answer: { text: 'ok' },
        },
      ],
      'pt-BR',
    );
    expect(pt.match('prazo de entrega')[0]).toMatchObject({ entryId: 'prazo', score: 1 });
    expect(pt.match('quero trocar o produto')[0]).toMatchObject({ entryId: 'troca' });
    expect(pt.match('devolucao')[0]).toMatchObject({ entryId: 'troca', score: KEYWORD_WEIGHT });
  });

  it('matches Cyrillic and Chinese questions', () => {
    const m = new FaqMatcher(
      [
        { id: 'ru', questions: ['Какие у вас часы работы?'], keywords: [], answer: { text: 'ru' } },
        { id: 'zh', questions: ['你们的营业时间是什么？'], keywords: [], answer: { text: 'zh' } },
      ],
      'ru',
    );
    expect(m.match('часы работы')[0]).toMatchObject({ entryId: 'ru' });
    expect(m.match('часы работы')[0]!.score).toBeGreaterThan(DEFAULT_THRESHOLD);
    expect(m.match('营业时间')[0]).toMatchObject({ entryId: 'zh' });
    expect(m.match('营业时间')[0]!.score).toBeGreaterThan(DEFAULT_THRESHOLD);
  });

  it('matches nothing in an empty bot or for a message without words', () => {
    expect(new FaqMatcher([], 'en').match('hello')).toEqual([]);
    expect(matcher.match('?!')).toEqual([]);
  });

  it("keeps a message that shares only the language's filler words below the threshold", () => {
    const entries: FaqEntryData[] = [
      { id: 'hours', questions: ['what are your opening hours'], keywords: [], answer: { text: '1' } },
      { id: 'price', questions: ['what are your prices'], keywords: [], answer: { text: '2' } },
      { id: 'where', questions: ['where is your shop'], keywords: [], answer: { text: '3' } },
      { id: 'pay', questions: ['which payment methods do you accept'], keywords: [], answer: { text: '4' } },
    ];
    const best = new FaqMatcher(entries, 'en-GB').match('what are your plans for christmas')[0];
    expect(best?.score ?? 0).toBeLessThan(DEFAULT_THRESHOLD);
    // Without a stop-word list for the bot's language, "what are your" is three shared words of four:
    // the known weak spot (docs/faq-bots.md), which a higher threshold or more entries offsets.
    const m = new FaqMatcher(entries, 'nl');
    expect(m.match('what are your plans for christmas')[0]!.score).toBeGreaterThan(DEFAULT_THRESHOLD);
    expect(m.match('your prices?')[0]).toMatchObject({ entryId: 'price' });
  });
});
