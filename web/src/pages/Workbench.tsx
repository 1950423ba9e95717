import { Link } from 'react-router-dom';
import { Alert, Badge, Card, Col, Empty, Flex, Progress, Row, Statistic, Typography } from 'antd';
import { RightOutlined } from '@ant-design/icons';
import type { Workbench as WorkbenchData, WorkbenchFigure } from '../../../contracts/workbench.ts';
import { WORKBENCH_PATH } from '../../../contracts/paths.ts';
import ErrorAlert from '../components/ErrorAlert.tsx';
import { useApiData } from '../components/useApiData.ts';

const percent = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);

function Figure({ f }: { f: WorkbenchFigure }) {
  const body = (
    <Card variant="borderless" hoverable={Boolean(f.link)} data-testid={`figure-${f.key}`}>
      <Statistic
        title={f.label}
        value={f.kind === 'share' ? percent(f.value) : (f.value ?? '—')}
        suffix={f.target !== undefined && f.target !== null ? <span style={{ fontSize: 14 }}> / 目标 {f.target}</span> : undefined}
      />
      {f.target ? (
        <Progress percent={Math.min(100, Math.round(((f.value ?? 0) / f.target) * 100))} size="small" style={{ marginTop: 8 }} />
      ) : null}
    </Card>
  );
  return f.link ? <Link to={f.link}>{body}</Link> : body;
}

/** 工作台's to-dos and key figures (GET /workbench): each to-do opens the list holding exactly those items. */
export default function Workbench() {
  const { data, error } = useApiData<WorkbenchData>(WORKBENCH_PATH);
  if (error) return <ErrorAlert error={error} />;
  if (!data || (data.todos.length === 0 && data.figures.length === 0)) return null;
  return (
    <div data-testid="workbench">
      {data.alerts.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="workbench-declines"
          message={`务工规模下降预警：以下乡镇上月末已就业人数较前一月末下降超过 ${Math.round(data.alerts[0]!.threshold * 1000) / 10}%`}
          description={
            <Flex vertical gap={4}>
              {data.alerts.map((a) => (
                <Link key={a.key} to={a.link} data-testid={`decline-${a.regionCode}`}>
                  {a.regionName}：{a.before} {a.employedBefore} 人 → {a.asOf} {a.employed} 人（下降 {Math.round(a.fall * 1000) / 10}%）
                </Link>
              ))}
            </Flex>
          }
        />
      )}
      {data.todos.length > 0 && (
        <>
          <Typography.Title level={5} style={{ margin: '8px 0 12px' }}>
            待办事项
          </Typography.Title>
          <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
            {data.todos.map((d) => (
              <Col key={d.key} xs={24} sm={12} xl={6}>
                <Link to={d.link} data-testid={`todo-${d.key}`}>
                  <Card hoverable variant="borderless">
                    <Flex justify="space-between" align="center">
                      <Typography.Text strong>{d.label}</Typography.Text>
                      <Flex align="center" gap={8}>
                        <Badge
                          count={d.count}
                          showZero
                          overflowCount={99999}
                          color={d.count > 0 ? '#c8102e' : '#bfbfbf'}
                          data-testid={`todo-count-${d.key}`}
                        />
                        <RightOutlined style={{ color: 'rgba(0,0,0,0.25)' }} />
                      </Flex>
                    </Flex>
                  </Card>
                </Link>
              </Col>
            ))}
          </Row>
        </>
      )}
      {data.figures.length > 0 && (
        <>
          <Typography.Title level={5} style={{ margin: '8px 0 12px' }}>
            关键指标{' '}
            <Typography.Text type="secondary" style={{ fontSize: 13, fontWeight: 'normal' }}>
              截至 {data.asOf}
            </Typography.Text>
          </Typography.Title>
          <Row gutter={[16, 16]} style={{ marginBottom: 16 }}>
            {data.figures.map((f) => (
              <Col key={f.key} xs={24} sm={12} xl={6}>
                <Figure f={f} />
              </Col>
            ))}
          </Row>
        </>
      )}
      {data.todos.length === 0 && <Empty description="暂无待办" />}
    </div>
  );
}
