import { Flex, Space, Tag, Typography } from 'antd';
import HoverTooltip from '../../components/HoverTooltip.tsx';
import { EnvironmentOutlined } from '@ant-design/icons';
import { EMPLOYER_KIND, EMPLOYER_KIND_COLORS } from '../../api/employers.ts';
import { labelOf } from '../../api/laborers.ts';
import { scoreColor, type PostingBrief } from '../../api/matching.ts';
import { wageRange } from '../../api/postings.ts';

/** A pair's score in points, coloured by how well it fits. */
export function ScoreTag({ score, testId }: { score: number; testId?: string }) {
  return (
    <HoverTooltip title="匹配度得分：按期望工种、技能证书、期望月薪、食宿、距离、专岗、从业经历、劳务协作协议等计分，分数越高越合适">
      <Tag
        color={scoreColor(score)}
        style={{ marginInlineEnd: 0, minWidth: 52, textAlign: 'center', fontWeight: 600 }}
        data-testid={testId}
      >
        {score.toFixed(1)} 分
      </Tag>
    </HoverTooltip>
  );
}

/** Which reasons are about a shortfall rather than a fit: shown in a quieter colour. */
const isCaveat = (reason: string) => /^未填写|工种不同|未登记|部分劳动能力/.test(reason);

/** The reasons of a recommendation, in Chinese, as tags. */
export function ReasonTags({ reasons, testId }: { reasons: string[]; testId?: string }) {
  if (!reasons.length) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Flex gap={4} wrap data-testid={testId}>
      {reasons.map((r) => (
        <Tag key={r} color={isCaveat(r) ? 'default' : 'cyan'} style={{ marginInlineEnd: 0, whiteSpace: 'normal' }}>
          {r}
        </Tag>
      ))}
    </Flex>
  );
}

/** 包吃 / 包住 / 专岗 tags of a posting. */
export function PostingTags({ posting }: { posting: Pick<PostingBrief, 'food' | 'housing' | 'reservedForPoor'> }) {
  const board = posting.food && posting.housing ? '包食宿' : posting.food ? '包吃' : posting.housing ? '包住' : null;
  if (!board && !posting.reservedForPoor) return null;
  return (
    <Flex gap={4} wrap component="span">
      {board && (
        <Tag color="green" style={{ marginInlineEnd: 0 }}>
          {board}
        </Tag>
      )}
      {posting.reservedForPoor && (
        <Tag color="red" style={{ marginInlineEnd: 0 }}>
          就业扶贫专岗
        </Tag>
      )}
    </Flex>
  );
}

/** Place · wage · openings of a posting, in one line. */
export function PostingFacts({ posting }: { posting: PostingBrief }) {
  return (
    <Space size={12} wrap>
      <span>
        <EnvironmentOutlined style={{ color: '#8c8c8c', marginInlineEnd: 4 }} />
        {posting.place}
      </span>
      <span style={{ color: '#cf1322', fontWeight: 500 }}>{wageRange(posting.wageMin, posting.wageMax)}/月</span>
      <Typography.Text type="secondary">尚缺 {posting.openings} 人</Typography.Text>
      <PostingTags posting={posting} />
    </Space>
  );
}

export function EmployerKindTag({ kind }: { kind: string }) {
  return (
    <Tag color={EMPLOYER_KIND_COLORS[kind] ?? 'default'} style={{ marginInlineEnd: 0 }}>
      {labelOf(EMPLOYER_KIND, kind)}
    </Tag>
  );
}
