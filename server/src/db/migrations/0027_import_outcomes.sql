-- An import says what each row did to the registry (issue 16 item 4): 新增 (created: a new card),
-- 更新 (updated: an existing card changed), 未变化 (unchanged: the row matched the card exactly),
-- 错误 (rejected). accepted is from now on every row that was saved or found saved:
-- created + updated + unchanged (it was created + updated, beside unchanged).
--
-- Imports finished before this migration did not tell created from updated: their created and
-- updated stay NULL (unknown) and their accepted is brought to the new meaning.
ALTER TABLE laborer_import ADD COLUMN created integer;
ALTER TABLE laborer_import ADD COLUMN updated integer;
UPDATE laborer_import SET accepted = accepted + unchanged;
