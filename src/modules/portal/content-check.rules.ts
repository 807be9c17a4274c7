/**
 * The pre-publication check (发布前检查): sensitive words and common typos from the word lists editors maintain,
 * and the accessibility basics of GB/T 37668 that a text can fail on its own — every image needs alternative
 * text (an error: it cannot be published) and should have a caption (a warning). Pure: the lists come in.
 */
import { bodyImages, htmlToText } from './rich-text.rules.js';

export const WORD_KINDS = ['sensitive', 'typo'] as const;
export type WordKind = (typeof WORD_KINDS)[number];

export interface WordEntry {
  readonly id: number;
  readonly kind: WordKind;
  readonly word: string;
  readonly suggestion: string | null;
  readonly note: string | null;
}

export interface CheckFinding {
  readonly level: 'error' | 'warning';
  readonly code: 'CHECK.SENSITIVE' | 'CHECK.TYPO' | 'CHECK.IMAGE_ALT' | 'CHECK.IMAGE_CAPTION' | 'CHECK.TITLE_EMPTY' | 'CHECK.BODY_EMPTY';
  readonly params: Readonly<Record<string, string | number>>;
  /** Up to ~30 characters around the first occurrence, for the editor to find it. */
  readonly excerpt?: string;
}

export interface CheckInput {
  readonly title: string;
  readonly summary: string | null;
  readonly bodyHtml: string;
}

function excerptAround(text: string, index: number, length: number): string {
  const start = Math.max(0, index - 12);
  const end = Math.min(text.length, index + length + 12);
  return `${start > 0 ? '…' : ''}${text.slice(start, end).replace(/\s+/g, ' ')}${end < text.length ? '…' : ''}`;
}

function countOf(text: string, word: string): number {
  let n = 0;
  for (let i = text.indexOf(word); i !== -1; i = text.indexOf(word, i + word.length)) n++;
  return n;
}

/** Checks a revision against the word lists; errors block submission, approval and publication. */
export function checkContent(input: CheckInput, words: readonly WordEntry[]): CheckFinding[] {
  const findings: CheckFinding[] = [];
  const text = [input.title, input.summary ?? '', htmlToText(input.bodyHtml)].join('\n');
  if (!input.title.trim()) findings.push({ level: 'error', code: 'CHECK.TITLE_EMPTY', params: {} });
  if (!htmlToText(input.bodyHtml).trim()) findings.push({ level: 'error', code: 'CHECK.BODY_EMPTY', params: {} });
  for (const w of words) {
    if (!w.word) continue;
    const at = text.indexOf(w.word);
    if (at === -1) continue;
    // A typo entry is not reported where the right form contains it (e.g. 帐 inside a correct word).
    if (w.kind === 'typo' && w.suggestion && w.suggestion.includes(w.word) && countOf(text, w.suggestion) >= countOf(text, w.word)) continue;
    findings.push({
      level: w.kind === 'sensitive' ? 'error' : 'warning',
      code: w.kind === 'sensitive' ? 'CHECK.SENSITIVE' : 'CHECK.TYPO',
      params: { word: w.word, suggestion: w.suggestion ?? '', count: countOf(text, w.word) },
      excerpt: excerptAround(text, at, w.word.length),
    });
  }
  bodyImages(input.bodyHtml).forEach((img, i) => {
    if (!img.alt || !img.alt.trim()) findings.push({ level: 'error', code: 'CHECK.IMAGE_ALT', params: { n: i + 1, src: img.src.split('/').pop() ?? '' } });
    else if (!img.caption) findings.push({ level: 'warning', code: 'CHECK.IMAGE_CAPTION', params: { n: i + 1, alt: img.alt } });
  });
  return findings;
}

export const errorCount = (findings: readonly CheckFinding[]) => findings.filter((f) => f.level === 'error').length;
