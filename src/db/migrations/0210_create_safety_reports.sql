-- The 12350 安全生产举报 channel's own record of each report, beside its incident (channel 'hotline_12350').
-- The reporter's identity (name, phone, ID number, other contact) is stored ONLY here and ONLY as AES-256-GCM
-- ciphertext under the key named by identity_key_id (REPORTER_KEY); the incident row holds no name or phone for
-- these reports. Reward eligibility (《安全生产领域举报奖励办法》: real-name, first valid report of the matter) is
-- recomputed when reports are merged, rejected or voided.
create table safety_reports (
  incident_id bigint primary key references incidents (id),
  hazard_kind text not null check (hazard_kind in ('illegal_operation', 'major_hazard', 'concealed_accident', 'other')),
  occurred_at timestamptz,
  business_name text not null,
  business_credit_code text check (business_credit_code is null or business_credit_code ~ '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$'),
  business_address text,
  is_real_name boolean not null,
  identity_sealed text,
  identity_key_id text,
  reward_eligible boolean not null default false,
  eligibility_reason text not null check (eligibility_reason in ('eligible', 'anonymous', 'invalid', 'not_first')),
  eligibility_updated_at timestamptz not null,
  created_at timestamptz not null,
  constraint safety_reports_identity_check check (
    (is_real_name and identity_sealed is not null and identity_key_id is not null)
    or (not is_real_name and identity_sealed is null and identity_key_id is null)
  )
);
create index safety_reports_eligible_idx on safety_reports (incident_id) where reward_eligible;
