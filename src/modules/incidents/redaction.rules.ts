/**
 * Redaction of a letter and its reply before they are published (信件选登). Pure: the reporter's names are passed
 * in. What counts as personal data follows the 个人信息保护法 (PIPL) art. 28 and the practice of government
 * mailboxes: phone numbers, 身份证 numbers, e-mail addresses, the reporter's own names, exact house numbers.
 */

/** The mark that replaces removed digits and addresses. */
export const REDACTED = '＊＊';

export interface RedactionInput {
  /** Names the reporter gave (the form's name field); each becomes its first character + 某. */
  readonly names?: readonly (string | null | undefined)[];
}

// 18-digit resident ID (last may be X) or the old 15-digit one, not inside a longer run of digits.
const ID_CARD = /(?<![0-9])(?:[1-9]\d{16}[0-9Xx]|[1-9]\d{14})(?![0-9Xx])/g;
// Mobile numbers (optionally +86), with or without separators; landlines with an area code.
const MOBILE = /(?<![0-9])(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}(?![0-9])/g;
const LANDLINE = /(?<![0-9])(?:\(?0\d{2,3}\)?[\s-]?)?[2-9]\d{6,7}(?![0-9])/g;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
// Exact places inside a street: 88号, 3栋, 2单元, 501室, 12号楼, 7幢 (digits, full-width digits or Chinese numerals).
const HOUSE = /[0-9０-９一二三四五六七八九十百零〇]+(?:-[0-9０-９]+)?\s*(号楼|号院|号|栋|幢|单元|室|楼)/g;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A personal name as published: 张三 → 张某, 欧阳娜娜 → 欧某. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  return chars.length === 0 ? '' : `${chars[0]}某`;
}

/** Removes personal data from a text meant for the public. */
export function redact(text: string, input: RedactionInput = {}): string {
  let out = text;
  for (const raw of input.names ?? []) {
    const name = raw?.trim();
    if (!name || [...name].length < 2) continue;
    out = out.replace(new RegExp(escape(name), 'g'), maskName(name));
  }
  out = out.replace(EMAIL, REDACTED);
  out = out.replace(ID_CARD, REDACTED);
  out = out.replace(MOBILE, REDACTED);
  out = out.replace(LANDLINE, REDACTED);
  out = out.replace(HOUSE, (_m, unit: string) => `${REDACTED}${unit}`);
  return out;
}
