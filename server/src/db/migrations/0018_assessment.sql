-- 量化考核 (DOMAIN.md "Assessment of counties"): the weights the province sets for the county
-- assessment. Every change is a new version (who, when, why); the newest version is in force.
-- Weights are whole points, none negative, summing to 100 (the service refuses other input with
-- a Chinese message first; these CHECKs are the last line).
CREATE TABLE assessment_weights (
  version             integer PRIMARY KEY CHECK (version > 0),
  cards_complete      smallint NOT NULL CHECK (cards_complete >= 0),
  reconfirmed         smallint NOT NULL CHECK (reconfirmed >= 0),
  postings_per_1000   smallint NOT NULL CHECK (postings_per_1000 >= 0),
  referrals_per_1000  smallint NOT NULL CHECK (referrals_per_1000 >= 0),
  follow_up_coverage  smallint NOT NULL CHECK (follow_up_coverage >= 0),
  target_completion   smallint NOT NULL CHECK (target_completion >= 0),
  set_by              bigint REFERENCES account (id),
  set_at              timestamptz NOT NULL DEFAULT now(),
  note                text CHECK (length(note) <= 200),
  CHECK (cards_complete + reconfirmed + postings_per_1000 + referrals_per_1000 + follow_up_coverage + target_completion = 100)
);

-- The platform's default until the province sets its own.
INSERT INTO assessment_weights (version, cards_complete, reconfirmed, postings_per_1000, referrals_per_1000, follow_up_coverage, target_completion, note)
VALUES (1, 20, 20, 15, 15, 15, 15, '系统默认权重');
