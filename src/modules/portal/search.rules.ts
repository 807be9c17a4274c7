/** Search helpers that are pure: the excerpt around the first hit and the highlighted pieces of a text. */

export interface Piece {
  readonly text: string;
  readonly hit: boolean;
}

/** Splits `text` into pieces, marking every occurrence of any of `words` (longest first, case-insensitive). */
export function highlight(text: string, words: readonly string[]): Piece[] {
  const ws = [...new Set(words.filter(Boolean))].sort((a, b) => b.length - a.length);
  if (ws.length === 0) return [{ text, hit: false }];
  const lower = text.toLowerCase();
  const out: Piece[] = [];
  let plain = '';
  for (let i = 0; i < text.length; ) {
    const w = ws.find((x) => lower.startsWith(x, i));
    if (w) {
      if (plain) out.push({ text: plain, hit: false });
      plain = '';
      out.push({ text: text.slice(i, i + w.length), hit: true });
      i += w.length;
    } else {
      plain += text[i];
      i++;
    }
  }
  if (plain) out.push({ text: plain, hit: false });
  return out;
}

/** About `size` characters of `text` around the first occurrence of any word (the start when none occurs). */
export function excerpt(text: string, words: readonly string[], size = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const lower = flat.toLowerCase();
  const positions = words.map((w) => lower.indexOf(w)).filter((p) => p >= 0);
  const first = positions.length ? Math.min(...positions) : 0;
  const start = Math.max(0, first - Math.floor(size / 3));
  const end = Math.min(flat.length, start + size);
  return `${start > 0 ? '…' : ''}${flat.slice(start, end)}${end < flat.length ? '…' : ''}`;
}

export const MAX_QUERY_CHARS = 100;
