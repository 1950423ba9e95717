-- Four eyes on a subsidy's bank account (review of issue 21 item 6): whoever gives or corrects a
-- laborer subsidy's account after its application cannot also send it to be paid — neither in a
-- payment batch they create nor by marking it paid. The account's last changer is kept here; an
-- account given with the application has none (the applicant and the approver are two people already).
ALTER TABLE subsidy ADD COLUMN bank_account_changed_by bigint REFERENCES account (id);
COMMENT ON COLUMN subsidy.bank_account_changed_by IS 'who last gave or corrected the bank account after the application (PUT /subsidies/:id/bank-account); that person may not batch or pay the subsidy';
