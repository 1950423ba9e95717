import { useCallback, useEffect, useState, type CSSProperties } from 'react';
import { Link } from 'react-router-dom';
import { Alert, Button, Card, Empty, Flex, Skeleton, Space, Typography } from 'antd';
import { AimOutlined, ReloadOutlined } from '@ant-design/icons';
import { api } from '../../api/client.ts';
import { MATCHING_ROLES, recommendationsPath, type Recommendations } from '../../api/matching.ts';
import { useMe } from '../../app/auth.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import { EmployerKindTag, PostingFacts, ReasonTags, ScoreTag } from './matchingParts.tsx';

/**
 * 推荐岗位: the open postings a laborer qualifies for, best first, each with its score and the reasons
 * (GET /api/v1/laborers/:id/recommendations). Renders nothing for roles that may not ask.
 */
export default function LaborerRecommendations({
  laborerId,
  limit = 10,
  bordered = false,
  style,
}: {
  laborerId: string;
  limit?: number;
  bordered?: boolean;
  style?: CSSProperties;
}) {
  const me = useMe();
  const allowed = MATCHING_ROLES.includes(me.role);
  const [data, setData] = useState<Recommendations | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(async () => {
    if (!allowed) return;
    setLoading(true);
    setError(null);
    try {
      setData(await api.get<Recommendations>(recommendationsPath(laborerId), { limit }));
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [allowed, laborerId, limit]);

  useEffect(() => {
    setData(null);
    load();
  }, [load]);

  if (!allowed) return null;

  return (
    <Card
      variant={bordered ? 'outlined' : 'borderless'}
      style={{ marginBottom: 16, ...style }}
      data-testid="laborer-recommendations"
      title={
        <Space>
          <AimOutlined />
          推荐岗位
          {data && !data.refused && (
            <Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 13 }} data-testid="recommendations-eligible">
              符合条件的在招岗位 {data.eligible} 个{data.eligible > data.items.length ? `，显示最合适的 ${data.items.length} 个` : ''}
            </Typography.Text>
          )}
        </Space>
      }
      extra={<Button size="small" type="text" icon={<ReloadOutlined />} onClick={load} loading={loading} aria-label="刷新" />}
    >
      <ErrorAlert error={error} testId="recommendations-error" />
      {!data && !error && <Skeleton active />}
      {data?.refused && (
        <Alert
          type="warning"
          showIcon
          title={data.refused}
          data-testid="recommendations-refused"
          description="该劳动力当前不在求职需求清单中；信息卡的就业状态或劳动能力变化后会重新推荐。"
        />
      )}
      {data && !data.refused && (
        <div data-testid="recommendations-list">
          {data.items.length === 0 && (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description="暂无符合条件的在招岗位（年龄、学历、就业意愿或照料负担不符合现有岗位的条件）"
            />
          )}
          {data.items.map((item, index) => (
            <Flex
              key={item.posting.id}
              gap={12}
              align="flex-start"
              data-testid={`recommendation-${item.posting.id}`}
              style={{ paddingBlock: 12, borderTop: index ? '1px solid #f0f0f0' : undefined }}
            >
              <Typography.Text type="secondary" style={{ width: 22, textAlign: 'right', paddingTop: 2 }}>
                {index + 1}
              </Typography.Text>
              <div style={{ flex: 1, minWidth: 0 }}>
                <Flex gap={8} align="center" wrap>
                  <ScoreTag score={item.score} testId="recommendation-score" />
                  <Link to={`/postings/${item.posting.id}`} style={{ fontWeight: 600, fontSize: 15 }} data-testid="recommendation-title">
                    {item.posting.title}
                  </Link>
                  <Typography.Text type="secondary">{item.posting.occupationLabel}</Typography.Text>
                </Flex>
                <Flex gap={8} align="center" wrap style={{ marginTop: 6 }}>
                  <Typography.Text>{item.posting.employerName}</Typography.Text>
                  <EmployerKindTag kind={item.posting.employerKind} />
                </Flex>
                <div style={{ marginTop: 6 }}>
                  <PostingFacts posting={item.posting} />
                </div>
                <div style={{ marginTop: 8 }}>
                  <ReasonTags reasons={item.reasons} testId="recommendation-reasons" />
                </div>
              </div>
            </Flex>
          ))}
        </div>
      )}
    </Card>
  );
}
