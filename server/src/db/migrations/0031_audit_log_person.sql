-- The audit log searched by person (issue 18 item 7): rows whose object is another record
-- (a referral, a transfer request, an employment …) name the laborer in details.laborer.
-- The rows about the card itself use audit_log_entity_idx. An index only: rows and chain unchanged.
CREATE INDEX audit_log_details_laborer_idx ON audit_log ((details ->> 'laborer'));
