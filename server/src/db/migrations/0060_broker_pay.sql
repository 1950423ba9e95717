-- 劳务经纪人 购买服务 (issue 20 item 6): a broker is paid by the county, per contract, a rate for
-- each placement that lasts — the first article: "采取购买服务方式 … 对农村劳务经纪人进行协议管理".
-- The contract now carries its pay terms: yuan per placement, and the months a placement must be
-- kept (the platform's rule "retained after N months", modules/employment/rules.ts). A contract
-- signed before has none and pays nothing until the terms are set.

ALTER TABLE broker_contract
  ADD COLUMN rate_per_placement numeric(10, 2) CHECK (rate_per_placement > 0 AND rate_per_placement <= 100000),
  ADD COLUMN kept_months smallint CHECK (kept_months BETWEEN 1 AND 12),
  ADD CONSTRAINT broker_contract_pay_terms CHECK ((rate_per_placement IS NULL) = (kept_months IS NULL));

-- The pay is a payment in the subsidy ledger (approved and paid as every subsidy is): recipient
-- 'broker', kind 'broker_service', naming the broker, the contract and the placement it pays for.
ALTER TABLE subsidy
  ADD COLUMN broker_id bigint REFERENCES account (id),
  ADD COLUMN broker_contract_id bigint REFERENCES broker_contract (id),
  ADD COLUMN employment_id bigint REFERENCES employment (id);

-- subsidy_recipient_check and subsidy_check1 name who may be paid which kind; the broker's pay is
-- added to each as it stands (read from the catalog, so that a clause another migration added is kept).
DO $$
DECLARE
  def text;
BEGIN
  SELECT pg_get_constraintdef(oid) INTO def FROM pg_constraint
   WHERE conrelid = 'subsidy'::regclass AND conname = 'subsidy_recipient_check';
  ALTER TABLE subsidy DROP CONSTRAINT subsidy_recipient_check;
  EXECUTE format('ALTER TABLE subsidy ADD CONSTRAINT subsidy_recipient_check CHECK ((%s) OR recipient = %L)',
    substring(def FROM '^CHECK \((.*)\)$'), 'broker');
  SELECT pg_get_constraintdef(oid) INTO def FROM pg_constraint
   WHERE conrelid = 'subsidy'::regclass AND conname = 'subsidy_check1';
  ALTER TABLE subsidy DROP CONSTRAINT subsidy_check1;
  EXECUTE format('ALTER TABLE subsidy ADD CONSTRAINT subsidy_check1 CHECK ((%s) OR (recipient = %L AND kind = %L AND laborer_id IS NULL AND employer_id IS NULL))',
    substring(def FROM '^CHECK \((.*)\)$'), 'broker', 'broker_service');
END $$;

ALTER TABLE subsidy ADD CONSTRAINT subsidy_broker_service CHECK (
  (recipient = 'broker') = (kind = 'broker_service')
  AND (recipient = 'broker') = (broker_id IS NOT NULL AND broker_contract_id IS NOT NULL AND employment_id IS NOT NULL)
  AND (recipient = 'broker' OR (broker_id IS NULL AND broker_contract_id IS NULL AND employment_id IS NULL)));

-- A placement is paid once ever, whatever periods are drafted again and under whichever contract:
-- one live (not rejected) payment per employment. Drafting inserts ON CONFLICT DO NOTHING.
CREATE UNIQUE INDEX subsidy_placement_once ON subsidy (employment_id) WHERE employment_id IS NOT NULL AND status <> 'rejected';
CREATE INDEX subsidy_broker_contract_idx ON subsidy (broker_contract_id) WHERE broker_contract_id IS NOT NULL;
