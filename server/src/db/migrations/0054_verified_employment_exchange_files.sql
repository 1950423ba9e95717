-- Two parts of issue 21: the assessment's verified employment (item 3) and the exchange's files (item 5).

-- Issue 21 item 3: the county assessment scores verified employment, not typed employment. A new
-- indicator, 就业核实率 (the share of the county's employed on the day whose job was confirmed in
-- the three months to it: docs/domain.md §10), gets its weight. The versions already set keep
-- their weights (0 for the new indicator, so their sums stay 100 and the history reads as it was
-- set); a new version re-balances the platform's default to give the new indicator 20 points —
-- only where the weights in force are still the platform's default (set by nobody): a province that
-- set its own keeps them, and gives the new indicator its points when it next sets them.

ALTER TABLE assessment_weights
  ADD COLUMN verified_employment smallint NOT NULL DEFAULT 0 CHECK (verified_employment >= 0);

ALTER TABLE assessment_weights DROP CONSTRAINT assessment_weights_check;
ALTER TABLE assessment_weights ADD CONSTRAINT assessment_weights_sum_check
  CHECK (cards_complete + reconfirmed + postings_per_1000 + referrals_per_1000 + follow_up_coverage + target_completion
    + verified_employment = 100);

INSERT INTO assessment_weights (version, cards_complete, reconfirmed, postings_per_1000, referrals_per_1000, follow_up_coverage,
    target_completion, verified_employment, note)
SELECT coalesce(max(version), 0) + 1, 15, 15, 10, 10, 15, 15, 20, '系统默认权重（新增就业核实率）' FROM assessment_weights
HAVING (SELECT set_by FROM assessment_weights ORDER BY version DESC LIMIT 1) IS NULL;

-- Issue 21 item 5's files (docs/exchange.md "Files"): the statistics table is a kind of its own a
-- client system is granted (aggregate figures, no person in them, so a client may get the table
-- without the cards); the cards file is read with the 'laborer' kind the feed already has.
ALTER TABLE exchange_client DROP CONSTRAINT exchange_client_kinds_check;
ALTER TABLE exchange_client ADD CONSTRAINT exchange_client_kinds_check
  CHECK (kinds <> '{}' AND kinds <@ ARRAY['laborer', 'employment', 'service_record', 'subsidy', 'statistics']);
