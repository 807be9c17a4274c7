import { describe, expect, it } from 'vitest';
import { attributeDefinitionProblems, checkAttributeAnswers, parseW3cDateTime } from './attribute.rules.js';
import type { CategoryAttribute } from './catalog.js';

const a = (x: Partial<CategoryAttribute> & Pick<CategoryAttribute, 'code' | 'datatype' | 'order'>): CategoryAttribute => ({ variable: true, required: false, datatypeDescription: null, description: x.code, values: [], ...x });
const DEFS: CategoryAttribute[] = [
  a({ code: 'kind', datatype: 'singlevaluelist', order: 1, required: true, values: [{ key: 'rain', name: '雨水' }, { key: 'gas', name: '燃气' }] }),
  a({ code: 'area', datatype: 'number', order: 2 }),
  a({ code: 'since', datatype: 'datetime', order: 3 }),
  a({ code: 'lanes', datatype: 'multivaluelist', order: 4, values: [{ key: 'a', name: 'A' }, { key: 'b', name: 'B' }] }),
  a({ code: 'pole', datatype: 'string', order: 5 }),
  a({ code: 'notes', datatype: 'text', order: 6 }),
  a({ code: 'info', datatype: 'text', order: 7, variable: false }),
];

describe('checkAttributeAnswers', () => {
  it.each<[string, Record<string, string | string[]>, Record<string, string | string[]>, [string, string][]]>([
    ['accepts a full, valid set', { kind: 'rain', area: '0.8', since: '2026-11-28T08:00:00+08:00', lanes: ['a', 'b'], pole: 'KZ-1', notes: '两行\n说明' }, { kind: 'rain', area: '0.8', since: '2026-11-28T08:00:00+08:00', lanes: ['a', 'b'], pole: 'KZ-1', notes: '两行\n说明' }, []],
    ['refuses an unknown attribute', { kind: 'rain', colour: 'red' }, { kind: 'rain' }, [['colour', 'unknown']]],
    ['refuses a missing required attribute', {}, {}, [['kind', 'required']]],
    ['counts an empty value as missing', { kind: '  ' }, {}, [['kind', 'required']]],
    ['refuses a value off the list', { kind: 'marble' }, {}, [['kind', 'not_a_value']]],
    ['refuses a non-number', { kind: 'gas', area: '12m' }, { kind: 'gas' }, [['area', 'not_a_number']]],
    ['refuses a date-time without a zone', { kind: 'gas', since: '2026-11-28T08:00:00' }, { kind: 'gas' }, [['since', 'not_a_datetime']]],
    ['refuses a multivaluelist item off the list', { kind: 'gas', lanes: ['a', 'z'] }, { kind: 'gas' }, [['lanes', 'not_a_value']]],
    ['refuses two values for a single value', { kind: ['gas', 'rain'] }, {}, [['kind', 'one_value']]],
    ['refuses a line break in a one-line string', { kind: 'gas', pole: 'a\nb' }, { kind: 'gas' }, [['pole', 'too_long']]],
    ['refuses an answer to an informational attribute', { kind: 'gas', info: 'x' }, { kind: 'gas' }, [['info', 'not_variable']]],
    ['deduplicates multivaluelist answers', { kind: 'gas', lanes: ['a', 'a'] }, { kind: 'gas', lanes: ['a'] }, []],
  ])('%s', (_name, answers, values, problems) => {
    const r = checkAttributeAnswers(DEFS, answers);
    expect(r.values).toEqual(values);
    expect(r.problems.map((p) => [p.code, p.reason])).toEqual(problems);
  });
});

describe('parseW3cDateTime', () => {
  it.each<[string, string | null]>([
    ['2010-01-01T00:00:00Z', '2010-01-01T00:00:00.000Z'],
    ['2026-11-28T08:00:00+08:00', '2026-11-28T00:00:00.000Z'],
    ['2026-11-28T08:00+08:00', '2026-11-28T00:00:00.000Z'],
    ['2026-11-28T08:00:00', null],
    ['2026-02-30T00:00:00Z', null],
    ['2026-11-28T24:00:00Z', null],
    ['yesterday', null],
    ['2026-11-28', null],
  ])('%s', (input, expected) => {
    expect(parseW3cDateTime(input)?.toISOString() ?? null).toBe(expected);
  });
});

describe('attributeDefinitionProblems', () => {
  it.each<[string, CategoryAttribute[], string[]]>([
    ['accepts the demo-like definition', DEFS, []],
    ['refuses a code used twice', [a({ code: 'x', datatype: 'string', order: 1 }), a({ code: 'x', datatype: 'string', order: 2 })], ['attributes[1].code']],
    ['refuses an order used twice or not positive', [a({ code: 'x', datatype: 'string', order: 0 }), a({ code: 'y', datatype: 'string', order: 0 })], ['attributes[0].order', 'attributes[1].order', 'attributes[1].order']],
    ['refuses a list without values', [a({ code: 'x', datatype: 'singlevaluelist', order: 1 })], ['attributes[0].values']],
    ['refuses values on a non-list', [a({ code: 'x', datatype: 'number', order: 1, values: [{ key: 'k', name: 'n' }] })], ['attributes[0].values']],
    ['refuses an unknown datatype and a bad code', [a({ code: 'x y', datatype: 'colour' as never, order: 1 })], ['attributes[0].code', 'attributes[0].datatype']],
  ])('%s', (_name, defs, paths) => {
    expect(attributeDefinitionProblems(defs).map((p) => p.path)).toEqual(paths);
  });
});
