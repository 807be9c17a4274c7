/** The 12350 安全生产举报 channel: intake with sealed reporter identities, the staff view, identity reveal, eligibility. */
export { createSafetyService, eligibilityObserver, type SafetyDeps, type SafetyService } from './safety.service.js';
/** Hazard kinds, eligibility reasons and the channel's record. */
export { ELIGIBILITY_REASONS, HAZARD_KINDS, type EligibilityReason, type HazardKind, type ReporterIdentity, type SafetyReport, type SafetyReportInput } from './safety.js';
/** Check digits (GB 32100, GB 11643), form validation and reward eligibility. */
export { MAX_CIRCUMSTANCES, isValidCreditCode, isValidIdNumber, rewardEligibility, validateSafetyReport, type MatterReport } from './safety.rules.js';
/** The reporter key: from configuration, or generated into the data directory on the embedded database. */
export { REPORTER_KEY_FILE, reporterKeySource, type ReporterKeySource } from './reporter-key.js';
/** AES-256-GCM sealing of reporter identities with the key id stored beside them. */
export { createReporterCipher, keyIdOf, type ReporterCipher } from './reporter-cipher.js';
