-- The registry import's per-card working rows (registry_import_seen) live only while a file is
-- imported: an import that restarts after a crash clears them and reads the file again from its
-- first row (registry-import.repo.ts clearResults), and the end of the file turns them into the
-- review list and the re-formed households, then deletes them. So they need neither the WAL nor
-- two foreign-key checks per row: at 100,000 rows those were most of the 7 s the import spent
-- writing them (issue 21 item 1's goal of 5,000 rows/s).
ALTER TABLE registry_import_seen DROP CONSTRAINT registry_import_seen_import_id_fkey;
ALTER TABLE registry_import_seen DROP CONSTRAINT registry_import_seen_laborer_id_fkey;
ALTER TABLE registry_import_seen SET UNLOGGED;
