import { defineColumns } from '../list-columns.ts';

/** 匹配建议: a batch run's suggestions (pages/matching/columns.tsx). */
export const SUGGESTION_COLUMNS = defineColumns({
  laborer: { title: '劳动力' },
  posting: { title: '建议岗位' },
  score: { title: '匹配度' },
  reasons: { title: '理由' },
  status: { title: '状态' },
  actions: { title: '操作', screenOnly: true },
});
