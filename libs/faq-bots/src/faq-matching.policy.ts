import MiniSearch, { SearchOptions } from 'minisearch';
import { FaqTokenizer } from './faq-tokenizer.policy';

export interface FaqAnswerContent {
  text?: string;
  templateId?: string;
}

/** What the matcher needs of an entry. */
export interface FaqEntryData {
  id: string;
  questions: string[];
  keywords: string[];
  answer: FaqAnswerContent;
}

export interface FaqCandidate {
  entryId: string;
  /** The variant that matched best (the first variant when only a keyword matched). */
  question: string;
  /** 0..1, see FaqMatcher. */
  score: number;
  answer: FaqAnswerContent;
}

/** A keyword the message contains adds this share of its own score to the entry's score. */
export const KEYWORD_WEIGHT = 0.5;
/** Raw BM25 hits normalised per query (per index); the rest cannot reach the top 5. */
const RAW_HITS = 50;
export const MAX_CANDIDATES = 5;

interface Doc {
  id: number;
  text: string;
}

interface Hit {
  id: number;
  score: number;
}

/**
 * Ranks a bot's entries against a message: minisearch (BM25 + prefix + fuzzy) over the question
 * variants, and separately over the keywords, one document per variant or keyword.
 *
 * Scores are normalised to 0..1 so that a threshold means the same for every bot:
 * - a variant's score is its raw BM25 score for the message divided by its raw score for its own
 *   text (its "self-match"), capped at 1. That is the share of the variant's weight the message
 *   covers: the variant itself (or a message containing all its words) scores 1, a message sharing
 *   only common words scores little, a typo or a prefix counts part of the word (minisearch weighs
 *   fuzzy matches 0.45 and prefix matches 0.375 of an exact one). Words of the message that are not
 *   in the variant cost nothing, so "Hi! what are your opening hours??" still covers "opening hours".
 *   Raw scores are divided by the number of matched terms first: minisearch multiplies by it,
 *   which would make coverage quadratic.
 * - an entry's score is its best variant's score plus KEYWORD_WEIGHT times its best keyword's score
 *   (computed the same way), capped at 1: a keyword alone reaches 0.5, and a keyword breaks a tie
 *   between entries whose variants match alike.
 * Self-match scores are computed when a variant first appears among the hits, then kept for the life
 * of this matcher (which is rebuilt whenever the bot's entries change).
 */
export class FaqMatcher {
  private readonly tokenizer: FaqTokenizer;
  private readonly questionIndex: MiniSearch<Doc>;
  private readonly keywordIndex: MiniSearch<Doc>;
  /** Doc id (unique across both indexes) -> the entry's position and the variant or keyword. */
  private readonly docs = new Map<number, { entry: number; text: string }>();
  private readonly selfScores = new Map<number, number>();
  readonly size: number;

  constructor(
    private readonly entries: readonly FaqEntryData[],
    language: string,
  ) {
    this.tokenizer = new FaqTokenizer(language);
    const searchOptions: SearchOptions = {
      combineWith: 'OR',
      prefix: (term) => term.length >= 3,
      fuzzy: (term) => (term.length >= 4 ? 0.2 : false),
      tokenize: (text) => this.tokenizer.queryTerms(text),
    };
    const options = {
      fields: ['text'],
      tokenize: (text: string) => this.tokenizer.terms(text),
      processTerm: (term: string) => term,
      searchOptions,
    };
    this.questionIndex = new MiniSearch<Doc>(options);
    this.keywordIndex = new MiniSearch<Doc>(options);
    const questions: Doc[] = [];
    const keywords: Doc[] = [];
    let next = 0;
    entries.forEach((entry, position) => {
      for (const [list, texts] of [
        [questions, entry.questions],
        [keywords, entry.keywords],
      ] as const) {
        for (const text of texts) {
          if (!this.tokenizer.terms(text).length) continue;
          const id = next++;
          this.docs.set(id, { entry: position, text });
          list.push({ id, text });
        }
      }
    });
    this.questionIndex.addAll(questions);
    this.keywordIndex.addAll(keywords);
    this.size = this.docs.size;
  }

  /** The best entries for `text`, best first (at most `limit`), with normalised scores. */
  match(text: string, limit = MAX_CANDIDATES): FaqCandidate[] {
    if (!this.tokenizer.queryTerms(text).length || !this.docs.size) return [];
    const best = new Map<number, { question?: Hit; keyword?: Hit }>();
    for (const [index, kind] of [
      [this.questionIndex, 'question'],
      [this.keywordIndex, 'keyword'],
    ] as const) {
      for (const hit of this.hits(index, text)) {
        const entry = this.docs.get(hit.id)!.entry;
        const slot = best.get(entry) ?? {};
        if (!slot[kind] || slot[kind].score < hit.score) slot[kind] = hit;
        best.set(entry, slot);
      }
    }
    const ranked = [...best].map(([position, { question, keyword }]) => {
      const entry = this.entries[position]!;
      const score = Math.min(1, (question?.score ?? 0) + KEYWORD_WEIGHT * (keyword?.score ?? 0));
      return {
        position,
        candidate: {
          entryId: entry.id,
          question: question ? this.docs.get(question.id)!.text : entry.questions[0]!,
          score,
          answer: entry.answer,
        },
      };
    });
    ranked.sort((a, b) => b.candidate.score - a.candidate.score || a.position - b.position);
    return ranked
      .slice(0, limit)
      .map(({ candidate }) => ({ ...candidate, score: Math.round(candidate.score * 1000) / 1000 }));
  }

  /** The top raw hits of one index, each scored against its own self-match. */
  private hits(index: MiniSearch<Doc>, text: string): Hit[] {
    return index
      .search(text)
      .slice(0, RAW_HITS)
      .map((r) => {
        const id = r.id as number;
        const self = this.selfScore(index, id);
        return { id, score: self > 0 ? Math.min(1, linear(r) / self) : 0 };
      });
  }

  private selfScore(index: MiniSearch<Doc>, id: number): number {
    let score = this.selfScores.get(id);
    if (score === undefined) {
      const own = index.search(this.docs.get(id)!.text, { filter: (r) => r.id === id })[0];
      score = own ? linear(own) : 0;
      this.selfScores.set(id, score);
    }
    return score;
  }
}

/** minisearch multiplies the summed term scores by the number of matched query terms: undo it. */
const linear = (r: { score: number; queryTerms: string[] }): number =>
  r.score / Math.max(1, r.queryTerms.length);
