/**
 * Pure rules of the 12350 channel: the check digits of the unified social credit code (GB 32100-2015) and of the
 * citizen ID number (GB 11643-1999), the form's validation, and reward eligibility.
 */
import type { FieldProblem } from '../../kernel/errors.js';
import type { State } from '../incidents/index.js';
import { HAZARD_KINDS, type EligibilityReason, type SafetyReportInput } from './safety.js';

export const MAX_CIRCUMSTANCES = 4000;
export const MAX_BUSINESS_NAME = 100;
export const MAX_ADDRESS = 200;

// GB 32100-2015 §4: 31 characters (no I, O, Z, S, V); weights 3^(i-1) mod 31; check = 31 - (Σ mod 31), 31 → 0.
const CREDIT_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** Whether `code` is a well-formed unified social credit code with the right check character (GB 32100). */
export function isValidCreditCode(code: string): boolean {
  const c = code.trim().toUpperCase();
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(c)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_ALPHABET.indexOf(c[i]!) * CREDIT_WEIGHTS[i]!;
  const check = (31 - (sum % 31)) % 31;
  return CREDIT_ALPHABET[check] === c[17];
}

// GB 11643-1999: weights 2^(17-i) mod 11; check = (12 - Σ mod 11) mod 11, 10 → X.
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** Whether `id` is an 18-character citizen ID number with the right check character (GB 11643). */
export function isValidIdNumber(id: string): boolean {
  const c = id.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(c)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(c[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11] === c[17];
}

const PHONE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;

/** The problems of a submitted form, field by field (empty when it may be stored). `now` bounds the time. */
export function validateSafetyReport(input: SafetyReportInput, now: Date): FieldProblem[] {
  const out: FieldProblem[] = [];
  const len = (s: string | null | undefined) => [...(s ?? '')].length;
  const required = (path: string, v: string | null | undefined) => {
    if (!v?.trim()) out.push({ path, code: 'field.required', message: `${path} is required` });
  };
  const tooLong = (path: string, v: string | null | undefined, max: number) => {
    if (len(v?.trim()) > max) out.push({ path, code: 'field.tooLong', message: `${path}: at most ${max} characters`, params: { max } });
  };
  if (input.occurredAt) {
    const at = occurredAtOf(input.occurredAt);
    if (!at) out.push({ path: 'occurredAt', code: 'field.invalid', message: 'occurredAt is not a date and time' });
    else if (at.getTime() > now.getTime() + 5 * 60_000) out.push({ path: 'occurredAt', code: 'SAFETY.OCCURRED_IN_FUTURE', message: 'occurredAt is in the future' });
  }
  required('address', input.address);
  tooLong('address', input.address, MAX_ADDRESS);
  if (input.location) {
    const { lon, lat } = input.location;
    if (!Number.isFinite(lon) || !Number.isFinite(lat) || lon < -180 || lon > 180 || lat < -90 || lat > 90) out.push({ path: 'location', code: 'field.invalid', message: 'location out of range' });
  }
  required('businessName', input.businessName);
  tooLong('businessName', input.businessName, MAX_BUSINESS_NAME);
  if (input.businessCreditCode?.trim() && !isValidCreditCode(input.businessCreditCode)) {
    out.push({ path: 'businessCreditCode', code: 'SAFETY.CREDIT_CODE_INVALID', message: 'not a valid unified social credit code' });
  }
  tooLong('businessAddress', input.businessAddress, MAX_ADDRESS);
  if (!(HAZARD_KINDS as readonly string[]).includes(input.hazardKind)) out.push({ path: 'hazardKind', code: 'field.required', message: 'choose a kind of hazard' });
  required('circumstances', input.circumstances);
  tooLong('circumstances', input.circumstances, MAX_CIRCUMSTANCES);
  if (!input.anonymous) {
    const r = input.reporter ?? {};
    required('reporterName', r.name);
    tooLong('reporterName', r.name, 50);
    required('reporterPhone', r.phone);
    if (r.phone?.trim() && !PHONE.test(r.phone.trim().replace(/\s/g, ''))) out.push({ path: 'reporterPhone', code: 'SAFETY.PHONE_INVALID', message: 'not a phone number' });
    if (r.idNumber?.trim() && !isValidIdNumber(r.idNumber)) out.push({ path: 'reporterIdNumber', code: 'SAFETY.ID_NUMBER_INVALID', message: 'not a valid ID number' });
    tooLong('reporterContact', r.contact, 200);
  }
  return out;
}

/** A form's date-time (YYYY-MM-DDTHH:mm in China Standard Time) as an instant, or undefined. */
export function occurredAtOf(s: string): Date | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})$/.exec(s.trim());
  if (!m) return undefined;
  const d = new Date(`${m[1]}T${m[2]}:00+08:00`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** An incident of a matter's merge tree, as eligibility sees it. `realName` is null for reports of other channels. */
export interface MatterReport {
  readonly incidentId: number;
  readonly reportedAt: Date;
  readonly state: State;
  readonly mergedIntoId: number | null;
  readonly realName: boolean | null;
}

const INVALID: readonly State[] = ['rejected', 'voided'];

/**
 * Reward eligibility of each 12350 report of a matter (the incidents merged into one another form one matter).
 * 《安全生产领域举报奖励办法》 art. 10 (../shared/reference/domain.md §5): only a real-name reporter, and of several
 * reports of the same matter only the first valid one. A rejected or voided report is not valid; a matter whose
 * surviving incident was rejected or voided has no valid report. Ties in time go to the lower number.
 */
export function rewardEligibility(reports: readonly MatterReport[]): Map<number, { eligible: boolean; reason: EligibilityReason }> {
  const byId = new Map(reports.map((r) => [r.incidentId, r]));
  const rootOf = (r: MatterReport): MatterReport => {
    let at = r;
    const seen = new Set<number>();
    while (at.mergedIntoId !== null && byId.has(at.mergedIntoId) && !seen.has(at.incidentId)) {
      seen.add(at.incidentId);
      at = byId.get(at.mergedIntoId)!;
    }
    return at;
  };
  const valid = (r: MatterReport) => !INVALID.includes(r.state) && !INVALID.includes(rootOf(r).state);
  const firstOf = new Map<number, MatterReport>();
  for (const r of reports) {
    if (r.realName !== true || !valid(r)) continue;
    const root = rootOf(r).incidentId;
    const first = firstOf.get(root);
    if (!first || r.reportedAt < first.reportedAt || (r.reportedAt.getTime() === first.reportedAt.getTime() && r.incidentId < first.incidentId)) firstOf.set(root, r);
  }
  const out = new Map<number, { eligible: boolean; reason: EligibilityReason }>();
  for (const r of reports) {
    if (r.realName === null) continue;
    const reason: EligibilityReason = !r.realName ? 'anonymous' : !valid(r) ? 'invalid' : firstOf.get(rootOf(r).incidentId) === r ? 'eligible' : 'not_first';
    out.set(r.incidentId, { eligible: reason === 'eligible', reason });
  }
  return out;
}
