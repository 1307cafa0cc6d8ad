/**
 * How FAQ text becomes search terms, for every language at once: Unicode NFKD, diacritics
 * of Latin, Greek and Cyrillic letters stripped (so "acción" = "accion", "Müller" = "muller"), lower-case, split on anything that is
 * not a letter or a digit. No stemming: an English stemmer mangles Spanish or Portuguese, and
 * fuzzy + prefix matching covers most inflections anyway. Han and kana are written without spaces,
 * so each of their characters is a term of its own; every other script (Cyrillic, Greek, Arabic,
 * Hangul, ...) keeps its words whole.
 *
 * The bot's language is only a hint: when it is one of STOP_WORDS' languages, its few filler
 * words are dropped, unless a text consists of nothing else.
 */

const STOP_WORDS: Record<string, readonly string[]> = {
  en: 'a an and are as at be but by can could do does for from have how i if in is it me my of on or our please the this to was we what when where which who why will with would you your'.split(
    ' ',
  ),
  es: 'a al como con cual cuando de del donde el en es esta este hay la las lo los me mi mis para pero por que se sin son su sus te tu un una y yo'.split(
    ' ',
  ),
  pt: 'a ao aos as com como da das de do dos e ela ele em esta este eu meu minha na nas no nos o os para pela pelo por qual quando que se sem seu sua um uma voce'.split(
    ' ',
  ),
  de: 'am an auf aus bei das dem den der des die ein eine einen einer es fur ich ihr im in ist mein meine mit sie und von was wie wir zu zum zur'.split(
    ' ',
  ),
  fr: 'a au aux avec ce ces dans de des du elle en est et il je la le les leur ma mes mon ne nous ou par pas pour qu que qui sa se ses son sur ta te tu un une vous'.split(
    ' ',
  ),
  it: 'a al alla come con da dei del della di e gli ha il in io la le lo ma mi mio nel per qual quale quando che si sono su tu un una uno'.split(
    ' ',
  ),
};

const STOP_SETS = new Map(Object.entries(STOP_WORDS).map(([lang, words]) => [lang, new Set(words)]));

/**
 * Diacritics of alphabets where people often leave them out (é, ñ, ü, й). Marks of other scripts
 * are part of the letter (Devanagari and Thai vowel signs, kana voicing) and stay.
 */
const ACCENTS = /([\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}])\p{M}+/gu;
/** Letters, digits, and the marks that remain (vowel signs belong to their word). */
const WORDS = /[\p{L}\p{M}\p{N}]+/gu;
const SPACELESS = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

/** The primary subtag of a BCP-47 tag (`pt-BR` -> `pt`), lower-case. */
export const primaryLanguage = (tag: string): string => tag.split(/[-_]/, 1)[0]!.toLowerCase();

/** Text folded for comparison: NFKD, accents stripped, lower-case, recomposed (Hangul, kana). */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(ACCENTS, '$1').toLowerCase().normalize('NFC');
}

/** Every term of `text`, in order, with repeats (stop words kept). */
export function rawTerms(text: string): string[] {
  const out: string[] = [];
  for (const word of foldText(text).match(WORDS) ?? []) {
    if (!SPACELESS.test(word)) {
      out.push(word);
      continue;
    }
    // A run mixing Han/kana with other letters: split the spaceless characters off one by one.
    let buffer = '';
    for (const ch of word) {
      if (SPACELESS.test(ch)) {
        if (buffer) out.push(buffer);
        buffer = '';
        out.push(ch);
      } else buffer += ch;
    }
    if (buffer) out.push(buffer);
  }
  return out;
}

/** Tokeniser for one bot: stop words of the bot's language dropped when it has a list. */
export class FaqTokenizer {
  private readonly stopWords: ReadonlySet<string> | undefined;

  constructor(readonly language: string) {
    this.stopWords = STOP_SETS.get(primaryLanguage(language));
  }

  /** The terms of `text` as indexed (repeats kept: term frequency counts in BM25). */
  terms(text: string): string[] {
    const all = rawTerms(text);
    if (!this.stopWords) return all;
    const kept = all.filter((t) => !this.stopWords!.has(t));
    return kept.length ? kept : all;
  }

  /** The terms of a query: each once, so a repeated word does not count twice. */
  queryTerms(text: string): string[] {
    return [...new Set(this.terms(text))];
  }

  /**
   * The key unanswered questions are grouped by: the terms joined by spaces, so "Opening hours?"
   * and "opening   HOURS" count as one question.
   */
  groupKey(text: string): string {
    const key = this.terms(text).join(' ');
    return (key || text.trim().toLowerCase()).slice(0, 200);
  }
}
