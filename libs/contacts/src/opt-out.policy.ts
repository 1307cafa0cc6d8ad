import { Injectable } from '@nestjs/common';
import { AppConfig } from '@wwb/config';

/** The words carriers and WhatsApp Business users expect to work, in any case. */
export const OPT_OUT_WORDS = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT'] as const;
export const OPT_IN_WORDS = ['START'] as const;

export type OptOutIntent = 'opt_out' | 'opt_in';

/** Upper case without accents, so that "arrêt", "ARRET" and "Arrêt" are one word. */
export function foldKeyword(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toUpperCase();
}

/** Punctuation a person may add around the word ("Stop!", "¡Baja!", "stop."). */
const EDGE_PUNCTUATION = /^[\s¡¿!?.,;:'"«»“”‘’()]+|[\s¡¿!?.,;:'"«»“”‘’()]+$/gu;

/**
 * Whether an inbound message asks to stop (or restart) automated messages: the whole message,
 * trimmed and without surrounding punctuation, must be exactly one of the words; case and
 * accents do not matter. "stop" opts out, "please stop sending" does not (too easy to trip).
 * Extra words come from OPT_OUT_KEYWORDS / OPT_IN_KEYWORDS; a word in both lists opts out.
 */
@Injectable()
export class OptOutPolicy {
  private readonly optOut: ReadonlySet<string>;
  private readonly optIn: ReadonlySet<string>;

  constructor(config: AppConfig) {
    const { optOutKeywords, optInKeywords } = config.contacts;
    const fold = (w: string) => foldKeyword(w.trim()).replace(/\s+/g, ' ');
    this.optOut = new Set([...OPT_OUT_WORDS, ...optOutKeywords].map(fold).filter(Boolean));
    this.optIn = new Set([...OPT_IN_WORDS, ...optInKeywords].map(fold).filter(Boolean));
  }

  classify(text: string): OptOutIntent | null {
    if (text.length > 64) return null;
    const word = foldKeyword(text.replace(EDGE_PUNCTUATION, '')).replace(/\s+/g, ' ');
    if (word === '') return null;
    if (this.optOut.has(word)) return 'opt_out';
    if (this.optIn.has(word)) return 'opt_in';
    return null;
  }

  /** The words in effect (docs, the dry run of auto-replies). */
  words(): { optOut: string[]; optIn: string[] } {
    return { optOut: [...this.optOut], optIn: [...this.optIn] };
  }
}
