import {
  answerText,
  botErrors,
  entryBody,
  entryErrors,
  linesOf,
  numberOrText,
  percent,
} from './faq-bot.mapper';

describe('FAQ bot mapper', () => {
  it('reads question variants one per line and keywords comma-separated', () => {
    expect(linesOf(' When do you open?\n\nOpening hours \n')).toEqual(['When do you open?', 'Opening hours']);
    expect(entryBody({ id: ' ', questions: 'a\nb', keywords: 'x, y,', answer: 'We open at 9' })).toEqual({
      questions: ['a', 'b'],
      keywords: ['x', 'y'],
      answer: { text: 'We open at 9' },
    });
    expect(entryBody({ id: 'hours', questions: 'a', keywords: '', answer: '' })).toEqual({
      id: 'hours',
      questions: ['a'],
      answer: { text: '' },
    });
  });

  it('places entry errors next to their field', () => {
    expect(
      entryErrors({ status: 400, code: 'entry_without_question', message: 'an entry needs a question' }),
    ).toEqual({ fields: { questions: 'An entry needs a question' } });
    expect(entryErrors({ status: 409, code: 'entry_exists', message: 'entry hours exists' }).fields.id).toBe(
      'Entry hours exists',
    );
    expect(
      entryErrors({ status: 400, code: 'invalid_answer', message: 'answer needs text' }).fields.answer,
    ).toBe('Answer needs text');
    expect(entryErrors({ status: 500, code: 'server_error', message: 'down' })).toEqual({
      fields: {},
      form: 'down',
    });
  });

  it('places bot errors next to their field', () => {
    expect(
      botErrors({ status: 400, code: 'invalid_threshold', message: 'threshold is 0..1' }).fields,
    ).toEqual({
      threshold: 'Threshold is 0..1',
    });
  });

  it('formats scores and answers; numbers typed wrong go as typed', () => {
    expect(percent(0.924)).toBe('92%');
    expect(numberOrText('0.5')).toBe(0.5);
    expect(numberOrText('half')).toBe('half');
    expect(numberOrText('')).toBe('');
    expect(answerText({ text: 'hi' })).toBe('hi');
    expect(answerText({ templateId: 'tpl_1' })).toBe('Template tpl_1');
  });
});
