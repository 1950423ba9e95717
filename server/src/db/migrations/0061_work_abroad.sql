-- Work abroad (issue 20 item 10, docs/domain.md §12). Places abroad are regions under 境外 (`99`,
-- loaded by the region loader from ISO 3166-1); a posting or a job abroad names one.
--
-- An employer licensed for overseas labour cooperation (对外劳务合作经营资格证书): only such an
-- employer may post jobs abroad, and only while its licence is valid.
ALTER TABLE employer
  ADD COLUMN overseas_license_no text CHECK (overseas_license_no ~ '^[0-9A-Za-z\-]{4,40}$'),
  ADD COLUMN overseas_license_valid_until date,
  ADD CONSTRAINT employer_overseas_license_pair CHECK ((overseas_license_no IS NULL) = (overseas_license_valid_until IS NULL));

-- The jobs abroad are few: the statistics' 其中境外 reads them through this index.
CREATE INDEX employment_abroad_idx ON employment (laborer_id) WHERE left(work_region_code, 2) = '99';
