/**
 * Chinese word segmentation for search, with jieba (@node-rs/jieba; ../shared/reference/stack.md §6): Intl.Segmenter
 * splits place names and domain words into single characters, jieba keeps them whole. Its dictionary is completed
 * with the district's own words (the 40 town names, 开州, 汉丰湖 …) so that "汉丰街道" stays one word. The
 * dictionary takes about half a second to load, so it is loaded once, on first use.
 */
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { REFERENCE_UNITS } from '../organization/index.js';

const LOCAL_WORDS = ['开州', '开州区', '汉丰湖', '滨湖路', '三峡库区', '网格员', '基层智治', '城市更新', '一件事', '一网统管', '政策解读', '安全生产', '防汛', '生命线'];

let instance: Jieba | undefined;

function jieba(): Jieba {
  if (!instance) {
    const j = Jieba.withDict(dict);
    const words = [...LOCAL_WORDS, ...REFERENCE_UNITS.filter((u) => ['street', 'town', 'township'].includes(u.kind)).flatMap((u) => [u.name, u.name.replace(/(街道|镇|乡)$/, '')])];
    j.loadDict(Buffer.from(words.filter((w) => [...w].length >= 2).map((w) => `${w} 100000 ns`).join('\n')));
    instance = j;
  }
  return instance;
}

const WORDLIKE = /[\p{L}\p{N}]/u;
/** Words too common to help a search. */
const STOP = new Set(['的', '了', '和', '与', '及', '是', '在', '对', '为', '等', '于', '将', '把', '被', '或', '之', '其', '这', '那', '有', '也', '并', '就', '都', '而', '从', '以', '向', '中']);

/** Words of a text for the index: jieba's search mode (both "人民政府" and "人民", "政府"), lower-cased. */
export function indexTokens(text: string): string[] {
  return jieba()
    .cutForSearch(text, true)
    .map((w) => w.trim().toLowerCase())
    .filter((w) => w && WORDLIKE.test(w) && !STOP.has(w));
}

/** Words of a query: jieba's precise mode, without punctuation and stop words, at most 12. */
export function queryTokens(query: string): string[] {
  const seen = new Set<string>();
  for (const w of jieba().cut(query, true)) {
    const t = w.trim().toLowerCase();
    if (t && WORDLIKE.test(t) && !STOP.has(t)) seen.add(t);
  }
  return [...seen].slice(0, 12);
}

/** Warms the dictionary (called at start so the first search is not the slow one). */
export function warmSegmenter(): void {
  jieba();
}
