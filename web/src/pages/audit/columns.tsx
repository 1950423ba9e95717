import { Tag, Typography } from 'antd';
import HoverTooltip from '../../components/HoverTooltip.tsx';
import dayjs from 'dayjs';
import { auditDetailLabel } from '../../../../contracts/audit-actions.ts';
import { AUDIT_COLUMNS } from '../../../../contracts/columns/audit.ts';
import { AUDIT_RESULT_LABELS, roleLabel } from '../../api/labels.ts';
import type { AuditEntry } from '../../api/types.ts';
import { columnsOf, param, type ScreenColumn } from '../../components/list/index.ts';

/** The log's filters as the URL keeps them. */
export const AUDIT_FILTERS = {
  from: param.day,
  to: param.day,
  person: param.text(32),
  action: param.text(64),
  entity: param.text(40),
  entityId: (raw: string | null) => (raw && /^[0-9A-Za-z_-]{1,32}$/.test(raw) ? raw : undefined),
  actor: param.text(32),
  result: param.oneOf(Object.keys(AUDIT_RESULT_LABELS)),
};

export /** A detail's value in words: a label for each known key, nested objects the same way, JSON only for what has no label. */
function detailValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) return value.map((v) => detailValue(v)).join('、') || '—';
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== null && v !== undefined);
  if (entries.every(([k]) => auditDetailLabel(k)))
    return entries.map(([k, v]) => `${auditDetailLabel(k)}：${detailValue(v)}`).join('；') || '—';
  return JSON.stringify(value);
}

const col = columnsOf<AuditEntry, typeof AUDIT_COLUMNS>(AUDIT_COLUMNS);

/** The log's table: titles from contracts/columns/audit.ts, as the export's header row. */
export const auditColumns: ScreenColumn<AuditEntry>[] = [
  col('id', { width: 90, render: (v: string) => <span className="lw-mono">{v}</span> }),
  col('at', { width: 170, render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm:ss') }),
  col('actor', {
    width: 220,
    render: (_: unknown, e) =>
      e.actorName || e.actorId ? (
        <div>
          <div>
            {e.actorDisplayName ?? e.actorName ?? `#${e.actorId}`}
            {e.actorDisplayName && e.actorName ? (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {' '}
                {e.actorName}
              </Typography.Text>
            ) : null}
          </div>
          {e.actorRole && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {roleLabel(e.actorRole)}
              {e.actorRegion ? ` · ${e.actorRegionName ?? e.actorRegion}` : ''}
            </Typography.Text>
          )}
        </div>
      ) : (
        <Typography.Text type="secondary">匿名 / 系统</Typography.Text>
      ),
  }),
  col('action', {
    width: 230,
    render: (_: unknown, e) => (
      <HoverTooltip title={e.action} placement="topLeft">
        <div>
          <div data-testid="audit-action">{e.actionName}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {e.actionGroup}
          </Typography.Text>
        </div>
      </HoverTooltip>
    ),
  }),
  col('entity', {
    width: 220,
    render: (_: unknown, e) => (
      <div data-testid="audit-object">
        <div>{e.objectName ?? (e.entityId ? `${e.entityLabel} #${e.entityId}` : e.entityLabel)}</div>
        {e.objectName && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {e.entityLabel}
            {e.entityId ? ` #${e.entityId}` : ''}
          </Typography.Text>
        )}
        {!e.objectName && e.personName && (
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            劳动力 {e.personName}
          </Typography.Text>
        )}
      </div>
    ),
  }),
  col('result', {
    width: 90,
    render: (v: string) => {
      const label = AUDIT_RESULT_LABELS[v];
      return <Tag color={label?.color ?? 'default'}>{label?.text ?? v}</Tag>;
    },
  }),
  col('details', {
    ellipsis: true,
    render: (d: unknown) => {
      if (d === null || d === undefined) return <Typography.Text type="secondary">—</Typography.Text>;
      const text = detailValue(d);
      return (
        <HoverTooltip title={text} placement="topLeft">
          <span style={{ fontSize: 12 }}>{text}</span>
        </HoverTooltip>
      );
    },
  }),
];
