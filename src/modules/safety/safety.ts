/**
 * The 12350 安全生产举报 channel: a work-safety report is an incident of channel `hotline_12350` plus this record —
 * the reported business, the kind of hazard, when it happened, whether the reporter gave their name, and (sealed)
 * who they are. Background: ../shared/reference/domain.md §5.
 */

/** Kinds of report named by 《安全生产领域举报奖励办法》 (2018) art. 6, and 其他. */
export const HAZARD_KINDS = ['illegal_operation', 'major_hazard', 'concealed_accident', 'other'] as const;
export type HazardKind = (typeof HAZARD_KINDS)[number];

/** Why a report is or is not eligible for a reward. */
export const ELIGIBILITY_REASONS = ['eligible', 'anonymous', 'invalid', 'not_first'] as const;
export type EligibilityReason = (typeof ELIGIBILITY_REASONS)[number];

/** Who reported, as the citizen gave it; only ever stored sealed. */
export interface ReporterIdentity {
  readonly name: string;
  readonly phone: string;
  readonly idNumber: string | null;
  /** Another way to reach them (e-mail, postal address). */
  readonly contact: string | null;
}

/** What a citizen submits on the 12350 form. */
export interface SafetyReportInput {
  /** When it happened, as given (YYYY-MM-DDTHH:mm, China Standard Time); optional. */
  readonly occurredAt?: string | null;
  readonly address: string;
  /** WGS-84 (browsers' geolocation gives WGS-84). */
  readonly location?: { readonly lon: number; readonly lat: number } | null;
  readonly businessName: string;
  readonly businessCreditCode?: string | null;
  readonly businessAddress?: string | null;
  readonly hazardKind: string;
  readonly circumstances: string;
  readonly anonymous: boolean;
  readonly reporter?: Partial<ReporterIdentity> | null;
  readonly attachmentIds?: readonly number[];
  readonly idempotencyKey?: string | null;
  /** The lookup code to store (derived by the form from its submission key, so a retry shows the same code). */
  readonly lookupCode?: string | null;
}

/** A 12350 report as staff see it (no identity). */
export interface SafetyReport {
  readonly incidentId: number;
  readonly hazardKind: HazardKind;
  readonly occurredAt: Date | null;
  readonly businessName: string;
  readonly businessCreditCode: string | null;
  readonly businessAddress: string | null;
  readonly isRealName: boolean;
  readonly rewardEligible: boolean;
  readonly eligibilityReason: EligibilityReason;
  readonly createdAt: Date;
}
