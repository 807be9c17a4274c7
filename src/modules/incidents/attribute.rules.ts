/**
 * Category attributes (Open311 GeoReport v2 "service definition" attributes): checking a definition an
 * administrator writes, and checking the answers a report brings against it. Pure.
 */
import { ATTRIBUTE_DATATYPES, type CategoryAttribute } from './catalog.js';

/** Answers by attribute code: one value, or several for a multivaluelist. */
export type AttributeAnswers = Readonly<Record<string, string | readonly string[]>>;

export interface AttributeProblem {
  readonly code: string;
  readonly reason: 'unknown' | 'required' | 'not_a_number' | 'not_a_datetime' | 'not_a_value' | 'one_value' | 'too_long' | 'not_variable';
}

/** The longest answer kept for a string (one line) and a text attribute. */
export const MAX_STRING_ANSWER = 200;
export const MAX_TEXT_ANSWER = 2000;

/** W3C date-time (the ISO 8601 subset the spec names) with a required zone: 2010-01-01T00:00:00Z or …+08:00. */
export const W3C_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A W3C date-time with zone as a Date, or null when malformed or not a real instant (2026-02-30). */
export function parseW3cDateTime(s: string): Date | null {
  if (!W3C_DATETIME.test(s)) return null;
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) return null;
  // Reject a day the calendar does not have (Date rolls 02-30 over to 03-02).
  const [y, m, day] = s.slice(0, 10).split('-').map(Number) as [number, number, number];
  const probe = new Date(Date.UTC(y, m - 1, day));
  if (probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== day) return null;
  const [hh, mm] = s.slice(11, 16).split(':').map(Number) as [number, number];
  if (hh > 23 || mm > 59) return null;
  return d;
}

/**
 * Checks answers against a definition: unknown codes, required ones missing (an empty value counts as absent),
 * wrong types, values not on the list. Returns the cleaned answers (trimmed, numbers as given) and the problems.
 */
export function checkAttributeAnswers(
  defs: readonly CategoryAttribute[],
  answers: AttributeAnswers,
): { values: Record<string, string | string[]>; problems: AttributeProblem[] } {
  const problems: AttributeProblem[] = [];
  const values: Record<string, string | string[]> = {};
  const byCode = new Map(defs.map((d) => [d.code, d]));
  for (const code of Object.keys(answers)) {
    const def = byCode.get(code);
    if (!def) problems.push({ code, reason: 'unknown' });
    else if (!def.variable) problems.push({ code, reason: 'not_variable' });
  }
  for (const def of [...defs].sort((a, b) => a.order - b.order)) {
    if (!def.variable) continue;
    const raw = answers[def.code];
    const list = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).map((v) => String(v).trim()).filter((v) => v !== '');
    if (list.length === 0) {
      if (def.required) problems.push({ code: def.code, reason: 'required' });
      continue;
    }
    if (def.datatype !== 'multivaluelist' && list.length > 1) {
      problems.push({ code: def.code, reason: 'one_value' });
      continue;
    }
    const v = list[0]!;
    switch (def.datatype) {
      case 'string':
        if ([...v].length > MAX_STRING_ANSWER || /[\r\n]/.test(v)) problems.push({ code: def.code, reason: 'too_long' });
        else values[def.code] = v;
        break;
      case 'text':
        if ([...v].length > MAX_TEXT_ANSWER) problems.push({ code: def.code, reason: 'too_long' });
        else values[def.code] = v;
        break;
      case 'number':
        if (!/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(v) || !Number.isFinite(Number(v))) problems.push({ code: def.code, reason: 'not_a_number' });
        else values[def.code] = v;
        break;
      case 'datetime':
        if (!parseW3cDateTime(v)) problems.push({ code: def.code, reason: 'not_a_datetime' });
        else values[def.code] = v;
        break;
      case 'singlevaluelist':
        if (!def.values.some((x) => x.key === v)) problems.push({ code: def.code, reason: 'not_a_value' });
        else values[def.code] = v;
        break;
      case 'multivaluelist': {
        const unique = [...new Set(list)];
        if (unique.some((x) => !def.values.some((d) => d.key === x))) problems.push({ code: def.code, reason: 'not_a_value' });
        else values[def.code] = unique;
        break;
      }
    }
  }
  return { values, problems };
}

export const DEFINITION_REASONS = ['code_format', 'duplicate', 'order', 'datatype', 'required', 'values_missing', 'values_unexpected', 'value_key_duplicate'] as const;
export type DefinitionReason = (typeof DEFINITION_REASONS)[number];

/** Problems with a definition an administrator writes, as field paths and reasons; empty when it is fine. */
export function attributeDefinitionProblems(defs: readonly CategoryAttribute[]): { path: string; reason: DefinitionReason }[] {
  const problems: { path: string; reason: DefinitionReason }[] = [];
  const codes = new Set<string>();
  const orders = new Set<number>();
  defs.forEach((d, i) => {
    const path = `attributes[${i}]`;
    if (!/^[A-Za-z0-9_-]{1,50}$/.test(d.code)) problems.push({ path: `${path}.code`, reason: 'code_format' });
    if (codes.has(d.code)) problems.push({ path: `${path}.code`, reason: 'duplicate' });
    codes.add(d.code);
    if (!Number.isInteger(d.order) || d.order < 1) problems.push({ path: `${path}.order`, reason: 'order' });
    if (orders.has(d.order)) problems.push({ path: `${path}.order`, reason: 'duplicate' });
    orders.add(d.order);
    if (!ATTRIBUTE_DATATYPES.includes(d.datatype)) problems.push({ path: `${path}.datatype`, reason: 'datatype' });
    if (!d.description.trim()) problems.push({ path: `${path}.description`, reason: 'required' });
    const isList = d.datatype === 'singlevaluelist' || d.datatype === 'multivaluelist';
    if (isList && d.values.length === 0) problems.push({ path: `${path}.values`, reason: 'values_missing' });
    if (!isList && d.values.length > 0) problems.push({ path: `${path}.values`, reason: 'values_unexpected' });
    if (new Set(d.values.map((v) => v.key)).size !== d.values.length) problems.push({ path: `${path}.values`, reason: 'value_key_duplicate' });
  });
  return problems;
}
