import { useEffect, useState } from 'react';
import { Empty, Flex, Tag, Timeline, Typography } from 'antd';
import { ArrowRightOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import {
  EMPTY_VALUE,
  HISTORY_FIELDS,
  HISTORY_KINDS,
  formatHistoryValue,
  historyFieldLabel,
  isEmptyValue,
  type LaborerHistoryEntry,
} from '../../api/laborers.ts';
import { regionDetail } from '../../api/regions.ts';

/** A region code shown by its name once looked up. */
function RegionName({ code }: { code: string }) {
  const [name, setName] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    regionDetail(code)
      .then((r) => {
        if (!cancelled) setName(r.fullName);
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [code]);
  return <span title={code}>{name ?? code}</span>;
}

function Value({ field, value }: { field: string; value: unknown }) {
  if (isEmptyValue(value)) return <Typography.Text type="secondary">{EMPTY_VALUE}</Typography.Text>;
  if (HISTORY_FIELDS[field]?.region && typeof value === 'string') return <RegionName code={value} />;
  return <>{formatHistoryValue(field, value)}</>;
}

const KIND_SUMMARY: Record<string, string> = {
  create: '建立信息卡',
  import: '通过劳动力资源信息采集表导入',
  delete: '删除信息卡',
  restore: '恢复信息卡',
  merge: '合并疑似重复信息卡',
  transfer: '迁移户籍所在村',
};

type CardRef = NonNullable<LaborerHistoryEntry['fromCard']>;
const cardText = (c: CardRef) => `${c.name}（${c.idNumberMasked}）`;

/** What a merge version says: on this card, the card merged into it; on a merged card, where it went. */
function mergeNote(entry: LaborerHistoryEntry) {
  if (entry.kind !== 'merge' || !entry.mergedCard) return null;
  return entry.fromCard ? `该卡并入 ${cardText(entry.mergedCard)}，已注销` : `并入信息卡 ${cardText(entry.mergedCard)}，保留本卡`;
}

/** The card's change ledger (动态管理台账), newest first. */
export default function LaborerHistory({ items }: { items: LaborerHistoryEntry[] }) {
  if (!items.length) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无变更记录" />;
  return (
    <Timeline
      items={items.map((entry) => {
        const kind = HISTORY_KINDS[entry.kind] ?? { text: entry.kind, color: 'gray' };
        // Versions of a card merged into this one carry that card's own version numbers.
        const key = entry.fromCard ? `${entry.fromCard.laborerId}-${entry.version}` : String(entry.version);
        const note = mergeNote(entry);
        return {
          key,
          color: entry.fromCard ? 'gray' : kind.color,
          content: (
            <div data-testid={entry.fromCard ? `history-item-merged-${key}` : `history-item-${entry.version}`}>
              <Flex gap={8} align="center" wrap>
                <Tag color={kind.color} style={{ marginInlineEnd: 0 }} data-testid="history-kind">
                  {kind.text}
                </Tag>
                {entry.fromCard && (
                  <Tag style={{ marginInlineEnd: 0 }} data-testid="history-from-card">
                    来自已合并的信息卡 {cardText(entry.fromCard)}
                  </Tag>
                )}
                <Typography.Text strong>第 {entry.version} 版</Typography.Text>
                <Typography.Text type="secondary">{dayjs(entry.at).format('YYYY-MM-DD HH:mm:ss')}</Typography.Text>
                <Typography.Text type="secondary">{entry.by ? `${entry.by.displayName}（${entry.by.username}）` : '系统'}</Typography.Text>
              </Flex>
              {note && (
                <div style={{ marginTop: 4 }} data-testid="history-merge-note">
                  <Typography.Text type="secondary">{note}</Typography.Text>
                </div>
              )}
              {entry.reason && (
                <div style={{ marginTop: 4 }}>
                  <Typography.Text type="secondary">变更原因：</Typography.Text>
                  <span data-testid="history-reason">{entry.reason}</span>
                </div>
              )}
              {entry.changes.length > 0 ? (
                <ul style={{ margin: '6px 0 0', paddingInlineStart: 18 }}>
                  {entry.changes.map((c) => (
                    <li key={c.field} data-testid={`history-change-${c.field}`} style={{ lineHeight: 1.9 }}>
                      <Typography.Text strong>{historyFieldLabel(c.field)}</Typography.Text>：
                      <Typography.Text delete={!isEmptyValue(c.before)} type="secondary">
                        <Value field={c.field} value={c.before} />
                      </Typography.Text>
                      <ArrowRightOutlined style={{ margin: '0 8px', fontSize: 12, color: 'rgba(0,0,0,0.45)' }} />
                      <Value field={c.field} value={c.after} />
                    </li>
                  ))}
                </ul>
              ) : note ? null : (
                <div style={{ marginTop: 4 }}>
                  <Typography.Text type="secondary">{KIND_SUMMARY[entry.kind] ?? '无字段变化'}</Typography.Text>
                </div>
              )}
            </div>
          ),
        };
      })}
    />
  );
}
