-- 量化考核 (issue 18 item 8): the assessment ranks every county of the province, whoever looks, so
-- its figures are the province's — every card, job, confirmation, posting, referral and follow-up:
-- 12–16 s of the database's time on the generated province (1.5 M cards). A county admin opening
-- the page should not wait for that, and nine opening it at once should not run it nine times.
-- The figures of a province for a day are kept here as last computed, with the time the
-- computation began (its records are those committed by then); the service reuses them for a few
-- minutes and recomputes in the background after that (assessment.service.ts), and the page says
-- when they were computed. Scores and ranks are not kept: they are worked out from these figures
-- and the current weights on every read. No personal data: counts per county only.
CREATE TABLE assessment_figures (
  province    text NOT NULL,
  as_of       date NOT NULL,
  computed_at timestamptz NOT NULL,
  figures     jsonb NOT NULL,
  PRIMARY KEY (province, as_of)
);
