import { describe, expect, it } from 'vitest';
import { isValidCreditCode, isValidIdNumber, occurredAtOf, rewardEligibility, validateSafetyReport, type MatterReport } from './safety.rules.js';
import type { SafetyReportInput } from './safety.js';

describe('unified social credit code (GB 32100 check character)', () => {
  const cases: [string, boolean][] = [
    ['91350100M000100Y43', true], // the standard's worked example
    ['91500234MA5U4XXX0J', true],
    ['91500234ma5u4xxx0j', true], // case does not matter
    ['91350100M000100Y44', false], // wrong check character
    ['91350100M000100Y4', false], // too short
    ['91350100M000100I43', false], // I is not in the alphabet
    ['9135010XM000100Y43', false], // positions 3–8 are the area code, digits only
    ['', false],
  ];
  for (const [code, ok] of cases) it(`${JSON.stringify(code)} is ${ok ? 'valid' : 'invalid'}`, () => expect(isValidCreditCode(code)).toBe(ok));
});

describe('citizen ID number (GB 11643 check character)', () => {
  const cases: [string, boolean][] = [
    ['11010519491231002X', true],
    ['11010519491231002x', true],
    ['110105194912310021', false],
    ['1101051949123100', false],
    ['A1010519491231002X', false],
  ];
  for (const [id, ok] of cases) it(`${id} is ${ok ? 'valid' : 'invalid'}`, () => expect(isValidIdNumber(id)).toBe(ok));
});

describe('the 12350 form: validation', () => {
  const NOW = new Date('2026-03-02T01:00:00Z');
  const good: SafetyReportInput = {
    occurredAt: '2026-03-01T20:30',
    address: '汉丰街道滨湖路 88 号',
    businessName: '开州某某化工有限公司',
    businessCreditCode: '91500234MA5U4XXX0J',
    hazardKind: 'major_hazard',
    circumstances: '夜间违规储存大量危险化学品，消防通道被堵。',
    anonymous: false,
    reporter: { name: '李四', phone: '13900001111', idNumber: '11010519491231002X' },
  };
  const cases: { name: string; over: Partial<SafetyReportInput>; problems: [string, string][] }[] = [
    { name: 'a complete real-name report passes', over: {}, problems: [] },
    { name: 'an anonymous report needs no name or phone', over: { anonymous: true, reporter: null }, problems: [] },
    { name: 'a real-name report needs a name and a phone', over: { reporter: {} }, problems: [['reporterName', 'field.required'], ['reporterPhone', 'field.required']] },
    { name: 'a phone that is not one is refused', over: { reporter: { name: '李四', phone: '12345' } }, problems: [['reporterPhone', 'SAFETY.PHONE_INVALID']] },
    { name: 'an ID number with a wrong check digit is refused', over: { reporter: { name: '李四', phone: '13900001111', idNumber: '110105194912310021' } }, problems: [['reporterIdNumber', 'SAFETY.ID_NUMBER_INVALID']] },
    { name: 'a credit code with a wrong check character is refused', over: { businessCreditCode: '91500234MA5U4XXX0K' }, problems: [['businessCreditCode', 'SAFETY.CREDIT_CODE_INVALID']] },
    { name: 'circumstances over 4,000 characters are refused', over: { circumstances: '险'.repeat(4001) }, problems: [['circumstances', 'field.tooLong']] },
    { name: 'exactly 4,000 characters pass', over: { circumstances: '险'.repeat(4000) }, problems: [] },
    { name: 'place, business, kind and circumstances are required', over: { address: ' ', businessName: '', hazardKind: '', circumstances: '' }, problems: [['address', 'field.required'], ['businessName', 'field.required'], ['hazardKind', 'field.required'], ['circumstances', 'field.required']] },
    { name: 'an unknown kind of hazard is refused', over: { hazardKind: 'fire' }, problems: [['hazardKind', 'field.required']] },
    { name: 'a time in the future is refused', over: { occurredAt: '2026-03-03T09:00' }, problems: [['occurredAt', 'SAFETY.OCCURRED_IN_FUTURE']] },
    { name: 'a time that is not one is refused', over: { occurredAt: '昨天晚上' }, problems: [['occurredAt', 'field.invalid']] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(validateSafetyReport({ ...good, ...c.over }, NOW).map((p) => [p.path, p.code])).toEqual(c.problems);
    });
  }
  it('reads the form time as China Standard Time', () => expect(occurredAtOf('2026-03-01T20:30')).toEqual(new Date('2026-03-01T12:30:00Z')));
});

describe('reward eligibility: real-name and the first valid report of the matter', () => {
  const t = (h: number) => new Date(Date.UTC(2026, 2, 2, h));
  const r = (incidentId: number, h: number, realName: boolean | null, over: Partial<MatterReport> = {}): MatterReport => ({ incidentId, reportedAt: t(h), state: 'accepted', mergedIntoId: null, realName, ...over });
  const cases: { name: string; reports: MatterReport[]; expected: Record<number, string> }[] = [
    { name: 'a lone real-name report is eligible', reports: [r(1, 1, true)], expected: { 1: 'eligible' } },
    { name: 'a lone anonymous report is not', reports: [r(1, 1, false)], expected: { 1: 'anonymous' } },
    { name: 'a rejected real-name report is not', reports: [r(1, 1, true, { state: 'rejected' })], expected: { 1: 'invalid' } },
    { name: 'two unmerged reports are two matters', reports: [r(1, 1, true), r(2, 2, true)], expected: { 1: 'eligible', 2: 'eligible' } },
    {
      name: 'merged: only the earliest real-name report keeps eligibility, whichever survives',
      reports: [r(1, 3, true), r(2, 1, true, { state: 'merged', mergedIntoId: 1 }), r(3, 2, false, { state: 'merged', mergedIntoId: 1 })],
      expected: { 1: 'not_first', 2: 'eligible', 3: 'anonymous' },
    },
    {
      name: 'merged: an earlier anonymous report does not take eligibility from a later real-name one',
      reports: [r(1, 1, false), r(2, 2, true, { state: 'merged', mergedIntoId: 1 })],
      expected: { 1: 'anonymous', 2: 'eligible' },
    },
    {
      name: 'merged: an earlier rejected report passes eligibility to the next valid one',
      reports: [r(1, 1, true, { state: 'rejected' }), r(2, 2, true), r(3, 3, true, { state: 'merged', mergedIntoId: 2 })],
      expected: { 1: 'invalid', 2: 'eligible', 3: 'not_first' },
    },
    {
      name: 'merged through a chain (3 → 2 → 1) and into a report of another channel',
      reports: [r(9, 0, null), r(1, 4, true, { state: 'merged', mergedIntoId: 9 }), r(2, 3, true, { state: 'merged', mergedIntoId: 1 }), r(3, 5, true, { state: 'merged', mergedIntoId: 2 })],
      expected: { 1: 'not_first', 2: 'eligible', 3: 'not_first' },
    },
    {
      name: 'a matter whose surviving incident was voided has no eligible report',
      reports: [r(1, 2, true, { state: 'voided' }), r(2, 1, true, { state: 'merged', mergedIntoId: 1 })],
      expected: { 1: 'invalid', 2: 'invalid' },
    },
    { name: 'same time: the lower number wins', reports: [r(5, 1, true), r(4, 1, true, { state: 'merged', mergedIntoId: 5 })], expected: { 4: 'eligible', 5: 'not_first' } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const out = rewardEligibility(c.reports);
      expect(Object.fromEntries([...out].map(([id, v]) => [id, v.reason]))).toEqual(Object.fromEntries(Object.entries(c.expected)));
      for (const v of out.values()) expect(v.eligible).toBe(v.reason === 'eligible');
    });
  }
});
