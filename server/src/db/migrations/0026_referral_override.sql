-- 一个事实，一个来源 (issue 16 item 4c): a referral by a person passes the matching engine's hard
-- conditions; one made although the pair fails a condition keeps which condition (its stable code,
-- contracts/referrals.ts HARD_CONDITION) and the referrer's stated reason, shown wherever the
-- referral is shown. Both or neither.
ALTER TABLE referral ADD COLUMN override_condition text
  CHECK (override_condition IN ('employment_status', 'labor_capacity', 'age', 'education', 'work_place', 'caring'));
ALTER TABLE referral ADD COLUMN override_reason text CHECK (char_length(override_reason) BETWEEN 4 AND 200);
ALTER TABLE referral ADD CONSTRAINT referral_override_both CHECK ((override_condition IS NULL) = (override_reason IS NULL));
