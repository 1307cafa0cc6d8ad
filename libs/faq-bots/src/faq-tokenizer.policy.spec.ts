import { FaqTokenizer, foldText, primaryLanguage, rawTerms } from './faq-tokenizer.policy';

describe('FAQ tokenizer', () => {
  it('strips accents and case, and splits on anything but letters and digits', () => {
    expect(foldText('Ação Müller ÉCOLE')).toBe('acao muller ecole');
    expect(rawTerms("¿Cuál es el horario? (24/7) it's OK")).toEqual([
      'cual',
      'es',
      'el',
      'horario',
      '24',
      '7',
      'it',
      's',
      'ok',
    ]);
  });

  it('keeps Cyrillic, Greek and Hangul words whole and splits Han and kana into characters', () => {
    expect(rawTerms('Привет, мир!')).toEqual(['привет', 'мир']);
    expect(rawTerms('Καλημέρα')).toEqual(['καλημερα']);
    expect(rawTerms('안녕하세요 세계')).toEqual(['안녕하세요', '세계']);
    expect(rawTerms('营业时间')).toEqual(['营', '业', '时', '间']);
    expect(rawTerms('SIMカード')).toEqual(['sim', 'カ', 'ー', 'ド']);
    expect(rawTerms('Йогурт')).toEqual(['иогурт']);
    expect(rawTerms('किताब')).toEqual(['किताब']);
  });

  it('normalises compatibility forms (full-width letters, ligatures)', () => {
    expect(rawTerms('ＡＢＣ ﬁle')).toEqual(['abc', 'file']);
  });

  it('drops stop words only of the bot language, and never all of a text', () => {
    expect(new FaqTokenizer('en').terms('What are your opening hours?')).toEqual(['opening', 'hours']);
    expect(new FaqTokenizer('es-MX').terms('¿Cuál es el horario?')).toEqual(['horario']);
    expect(new FaqTokenizer('pt-BR').terms('Qual é o prazo?')).toEqual(['prazo']);
    expect(new FaqTokenizer('de').terms('Was ist das?')).toEqual(['was', 'ist', 'das']);
    expect(new FaqTokenizer('xx').terms('What are your hours')).toEqual(['what', 'are', 'your', 'hours']);
  });

  it('gives each query term once, and groups texts that differ only in case, accents and punctuation', () => {
    const t = new FaqTokenizer('en');
    expect(t.queryTerms('price price PRICE')).toEqual(['price']);
    expect(t.groupKey('Opening   HOURS??')).toBe(t.groupKey('opening hours'));
    expect(t.groupKey('  ?? ')).toBe('??');
    expect(primaryLanguage('pt_BR')).toBe('pt');
  });
});
