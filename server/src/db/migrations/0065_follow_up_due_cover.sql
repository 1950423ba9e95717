-- 稳岗服务's overdue summary (GET /api/v1/follow-ups/overdue) counts a region's overdue follow-ups by
-- the person whose list they are on. With only (due_on, laborer_id) in the index of due follow-ups
-- the database read every due follow-up of the province from the table (a parallel scan, 159 ms for
-- 新邵县 on the generated province, 1.5 M cards) to pick a county's few hundred. The same index,
-- carrying whose list each is on, answers both of the summary's counts from the index alone.
CREATE INDEX follow_up_due_cover_idx ON follow_up (due_on, laborer_id) INCLUDE (responsible_kind, responsible_account)
  WHERE status = 'due';
DROP INDEX follow_up_due_idx;
