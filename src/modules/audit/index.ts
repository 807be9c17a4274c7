/** The append-only, hash-chained audit trail: who did what, to what, when and from where. */
export { createAuditService, type AuditFilter, type AuditService, type VerifyResult } from './audit.service.js';
/** Entry shapes. */
export { CHAIN_COUNT, GENESIS_HASH, type AuditEntryInput, type AuditRecord } from './audit.js';
/** The chain's pure functions (canonical form, hashing, verification). */
export { canonicalJson, chainOf, hashRecord, verifyBatch, type ChainBreak } from './audit-chain.rules.js';
