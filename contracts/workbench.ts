import { Type, type Static } from '@sinclair/typebox';
import { RoleSchema } from './common.ts';

/**
 * 工作台 (issue 18 item 5): what waits for the signed-in role, each to-do with its count and the
 * list that shows exactly those items, and the role's key figures. Every count is the total of the
 * list its link opens: the server counts with the owning module's own list filter.
 */

const QueryValue = Type.Union([Type.String(), Type.Number(), Type.Boolean()]);

export const WorkbenchTodoSchema = Type.Object({
  key: Type.String(),
  label: Type.String({ description: '待办名称' }),
  count: Type.Integer({ minimum: 0 }),
  /** The console page (path and query) that lists these items. */
  link: Type.String(),
  /** The list call behind that page: GET `path` with `query` answers `total` = count. */
  api: Type.Object({ path: Type.String(), query: Type.Record(Type.String(), QueryValue) }),
});
export type WorkbenchTodo = Static<typeof WorkbenchTodoSchema>;

export const WorkbenchFigureSchema = Type.Object({
  key: Type.String(),
  label: Type.String({ description: '指标名称' }),
  /** A count, or a share in [0, 1] (kind 'share'); null where nothing is there to divide. */
  value: Type.Union([Type.Number(), Type.Null()]),
  kind: Type.Union([Type.Literal('count'), Type.Literal('share')]),
  /** What the count is measured against (the year's target), when there is one. */
  target: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
  /** The console page that shows where the figure comes from. */
  link: Type.Optional(Type.String()),
});
export type WorkbenchFigure = Static<typeof WorkbenchFigureSchema>;

/**
 * A township of the county whose employed fell month on month by more than the configured share
 * (issue 20 item 2: LAOWU_DECLINE_ALERT_SHARE), linking to its statistics.
 */
export const WorkbenchAlertSchema = Type.Object({
  key: Type.String(),
  regionCode: Type.String(),
  regionName: Type.String(),
  /** The two month ends compared: the month before last's and last month's. */
  before: Type.String(),
  asOf: Type.String(),
  employedBefore: Type.Integer({ minimum: 0 }),
  employed: Type.Integer({ minimum: 0 }),
  /** The fall as a share of the earlier figure (0.1 = 10%). */
  fall: Type.Number(),
  /** The threshold it exceeded. */
  threshold: Type.Number(),
  link: Type.String(),
});
export type WorkbenchAlert = Static<typeof WorkbenchAlertSchema>;

export const WorkbenchSchema = Type.Object({
  role: RoleSchema,
  regionCode: Type.String(),
  asOf: Type.String(),
  todos: Type.Array(WorkbenchTodoSchema),
  figures: Type.Array(WorkbenchFigureSchema),
  /** 务工规模下降预警: a county's townships whose employed fell (empty for other roles and levels). */
  alerts: Type.Array(WorkbenchAlertSchema),
});
export type Workbench = Static<typeof WorkbenchSchema>;
