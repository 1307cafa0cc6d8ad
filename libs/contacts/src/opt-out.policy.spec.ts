import type { AppConfig } from '@wwb/config';
import { foldKeyword, OptOutPolicy } from './opt-out.policy';

const policy = (optOutKeywords: string[] = [], optInKeywords: string[] = []) =>
  new OptOutPolicy({ contacts: { optOutKeywords, optInKeywords } } as unknown as AppConfig);

describe('OptOutPolicy', () => {
  const p = policy(['BAJA', 'ARRÊT', 'STOPP', 'no more'], ['ALTA', 'UNSTOP']);

  it.each([
    'STOP',
    'stop',
    'Stop',
    ' stop ',
    'STOP!',
    'stop.',
    '¡Stop!',
    'StopAll',
    'UNSUBSCRIBE',
    'cancel',
    'END',
    'quit?',
  ])('%p opts out', (text) => {
    expect(p.classify(text)).toBe('opt_out');
  });

  it('configured words match whatever the case and accents', () => {
    for (const text of ['baja', 'Baja!', 'ARRET', 'arrêt', 'Arrêt.', 'stopp', 'NO MORE', 'no   more!']) {
      expect(p.classify(text)).toBe('opt_out');
    }
  });

  it.each(['START', 'start', 'Start!', 'alta', 'ÁLTA', 'unstop'])('%p opts in', (text) => {
    expect(p.classify(text)).toBe('opt_in');
  });

  it.each([
    'please stop',
    'stop sending me this',
    'stopping',
    'STOP STOP',
    'restart',
    '',
    '   ',
    '!!!',
    'bajar',
    'stop'.repeat(20),
  ])('%p is neither', (text) => {
    expect(p.classify(text)).toBeNull();
  });

  it('the default words work without configuration, extra words only when configured', () => {
    const plain = policy();
    expect(plain.classify('STOP')).toBe('opt_out');
    expect(plain.classify('start')).toBe('opt_in');
    expect(plain.classify('baja')).toBeNull();
  });

  it('a word in both lists opts out', () => {
    expect(policy(['ALTO'], ['ALTO']).classify('alto')).toBe('opt_out');
  });

  it('folds accents and case', () => {
    expect(foldKeyword('Arrêt çà')).toBe('ARRET CA');
  });
});
