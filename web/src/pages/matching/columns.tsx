import { Button, Space, Tag, Typography } from 'antd';
import { CheckCircleOutlined, CheckOutlined, CloseOutlined } from '@ant-design/icons';
import { Link } from 'react-router-dom';
import { SUGGESTION_COLUMNS } from '../../../../contracts/columns/matching.ts';
import { SEX, labelOf, shortVillageName } from '../../api/laborers.ts';
import { SUGGESTION_STATUS, type Suggestion } from '../../api/matching.ts';
import { wageRange } from '../../api/postings.ts';
import type { RegionRef } from '../../api/types.ts';
import { columnsOf, param, type ScreenColumn } from '../../components/list/index.ts';
import { PostingTags, ReasonTags, ScoreTag } from './matchingParts.tsx';

/** The suggestions' status as the URL keeps it (`suggestions.status`); none means 待处理, `all` every status. */
export const SUGGESTION_VIEWS = ['proposed', 'recommended', 'dismissed', 'superseded', 'all'] as const;
export type SuggestionView = (typeof SUGGESTION_VIEWS)[number];
export const SUGGESTION_VIEW_FILTER = { 'suggestions.status': param.oneOf(SUGGESTION_VIEWS) };

const col = columnsOf<Suggestion, typeof SUGGESTION_COLUMNS>(SUGGESTION_COLUMNS);

/** The suggestions' table: titles from contracts/columns/matching.ts, 采纳 / 驳回 on the ones still proposed. */
export const suggestionColumns = (
  viewer: RegionRef,
  deciding: string | null,
  decide: (s: Suggestion, decision: 'accept' | 'dismiss') => void,
): ScreenColumn<Suggestion>[] => [
  col('laborer', {
    width: 190,
    render: (_: unknown, s) => (
      <Space orientation="vertical" size={0}>
        <Space size={6}>
          <Link to={`/laborers/${s.laborer.id}`} data-testid="suggestion-laborer">
            {s.laborer.name}
          </Link>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {labelOf(SEX, s.laborer.sex)} · {s.laborer.age} 岁
          </Typography.Text>
        </Space>
        <span className="lw-mono" style={{ fontSize: 12 }}>
          {s.laborer.idNumberMasked}
        </span>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {shortVillageName(s.laborer.villageName, viewer)}
        </Typography.Text>
      </Space>
    ),
  }),
  col('posting', {
    width: 240,
    render: (_: unknown, s) => (
      <Space orientation="vertical" size={0}>
        <Link to={`/postings/${s.posting.id}`} data-testid="suggestion-posting">
          {s.posting.title}
        </Link>
        <Typography.Text style={{ fontSize: 12 }}>{s.posting.employerName}</Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {s.posting.place} · {wageRange(s.posting.wageMin, s.posting.wageMax)}
        </Typography.Text>
        <PostingTags posting={s.posting} />
      </Space>
    ),
  }),
  col('score', { width: 84, render: (_: unknown, s) => <ScoreTag score={s.score} /> }),
  col('reasons', { render: (_: unknown, s) => <ReasonTags reasons={s.reasons} /> }),
  col('status', {
    width: 110,
    render: (_: unknown, s) => (
      <Tag
        color={SUGGESTION_STATUS[s.status]?.color ?? 'default'}
        icon={s.status === 'recommended' ? <CheckCircleOutlined /> : undefined}
        data-testid="suggestion-status"
      >
        {SUGGESTION_STATUS[s.status]?.text ?? s.status}
      </Tag>
    ),
  }),
  col('actions', {
    width: 150,
    fixed: 'right',
    render: (_: unknown, s) =>
      s.status === 'proposed' ? (
        <Space size={4}>
          <Button
            size="small"
            type="primary"
            icon={<CheckOutlined />}
            loading={deciding === s.id}
            onClick={() => decide(s, 'accept')}
            data-testid="suggestion-accept"
          >
            采纳
          </Button>
          <Button
            size="small"
            icon={<CloseOutlined />}
            disabled={deciding === s.id}
            onClick={() => decide(s, 'dismiss')}
            data-testid="suggestion-dismiss"
          >
            驳回
          </Button>
        </Space>
      ) : (
        <Typography.Text type="secondary">—</Typography.Text>
      ),
  }),
];
