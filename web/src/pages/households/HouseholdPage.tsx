import { Link, useParams, useSearchParams } from 'react-router-dom';
import { Card, DatePicker, Descriptions, Flex, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import type { Household } from '../../../../contracts/households.ts';
import { HOUSEHOLDS_PATH } from '../../../../contracts/paths.ts';
import { LABOR_CAPACITY, labelOf, POVERTY_STATUS } from '../../api/laborers.ts';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import PageHeader from '../../components/PageHeader.tsx';
import { useApiData } from '../../components/useApiData.ts';
import { grouped, chinaNow } from '../../app/format.ts';

const DAY = 'YYYY-MM-DD';
const yuan = (n: number | null) => (n === null ? '—' : `${grouped(n)} 元`);
type Member = Household['members'][number];
type Job = Member['jobs'][number];

/**
 * 家庭户 at /households/:code (issue 20 item 1): the household as of a date — its members (laborers
 * on the platform; the others counted by 家庭人口), who works where, income from recorded work over
 * the twelve months before the date against the year's poverty line, and every member's stretch
 * in it. Reached from a card's 户编号 and from the statistics' household list.
 */
export default function HouseholdPage() {
  const { code = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const asOf = params.get('asOf') ?? chinaNow().format(DAY);
  const { data, error, loading } = useApiData<Household>(`${HOUSEHOLDS_PATH}/${encodeURIComponent(code)}`, { asOf });

  const columns: TableColumnsType<Member> = [
    {
      title: '姓名',
      key: 'name',
      width: 110,
      render: (_, m) => (m.laborerId ? <Link to={`/laborers/${m.laborerId}`}>{m.name}</Link> : <span>{m.name}</span>),
    },
    { title: '与户主关系', key: 'relation', width: 90, render: (_, m) => m.relationToHead ?? '—' },
    { title: '身份证号', key: 'id', width: 180, render: (_, m) => <span className="lw-mono">{m.idNumberMasked || '（非本辖区）'}</span> },
    { title: '户籍所在村', key: 'village', ellipsis: true, render: (_, m) => m.village.name },
    {
      title: '劳动能力',
      key: 'capacity',
      width: 110,
      render: (_, m) => <Tag color={m.able ? 'green' : 'default'}>{labelOf(LABOR_CAPACITY, m.laborCapacity)}</Tag>,
    },
    {
      title: '就业',
      key: 'employed',
      width: 80,
      render: (_, m) => (m.employed ? <Tag color="blue">已就业</Tag> : <Tag>未就业</Tag>),
    },
    { title: '近 12 个月务工收入', key: 'income', width: 140, align: 'right', render: (_, m) => yuan(m.income) },
  ];
  const jobColumns: TableColumnsType<Job> = [
    { title: '用人单位', key: 'employer', render: (_, j) => j.employer ?? '—' },
    { title: '务工地', key: 'where', ellipsis: true, render: (_, j) => j.workRegion.name },
    { title: '入职', dataIndex: 'startedOn', width: 110 },
    { title: '离职', key: 'ended', width: 110, render: (_, j) => j.endedOn ?? (j.openOnAsOf ? '在岗' : '—') },
    { title: '月工资', key: 'wage', width: 100, align: 'right', render: (_, j) => yuan(j.monthlyWage) },
    { title: '期内月数', dataIndex: 'months', width: 90, align: 'right' },
    { title: '期内收入', key: 'income', width: 110, align: 'right', render: (_, j) => yuan(j.income) },
  ];

  return (
    <>
      <PageHeader
        title={`家庭户 ${code}`}
        description="截至某日的家庭成员、务工去向和近 12 个月有记录的务工收入；成员以当日信息卡所填户编号为准"
      />
      <Flex gap={12} align="center" style={{ marginBottom: 16 }}>
        <span>截至</span>
        <DatePicker
          value={dayjs(asOf)}
          allowClear={false}
          disabledDate={(d) => d.isAfter(chinaNow()) || d.isBefore(dayjs('2016-01-01'))}
          onChange={(d) => d && setParams({ asOf: d.format(DAY) })}
          data-testid="household-as-of"
        />
      </Flex>
      <ErrorAlert error={error} />
      {data && (
        <Card size="small" style={{ marginBottom: 16 }} data-testid="household-summary">
          <Descriptions size="small" column={3}>
            <Descriptions.Item label="户编号">
              <span className="lw-mono">{data.code}</span>
            </Descriptions.Item>
            <Descriptions.Item label="户主所在村">{data.village.name}</Descriptions.Item>
            <Descriptions.Item label="户类型">{labelOf(POVERTY_STATUS, data.povertyStatus)}</Descriptions.Item>
            <Descriptions.Item label="家庭人口">
              <span data-testid="household-size">{data.size} 人</span>（平台登记劳动力 {data.members.length} 人）
            </Descriptions.Item>
            <Descriptions.Item label={`务工收入（${data.window.from} 至 ${data.window.to}）`}>
              <span data-testid="household-income">{yuan(data.income)}</span>
            </Descriptions.Item>
            <Descriptions.Item label="人均">
              <span data-testid="household-per-capita">{yuan(data.perCapitaIncome)}</span>
              {data.povertyLine ? (
                <Tag style={{ marginLeft: 8 }} color={data.reachesLine ? 'green' : 'orange'} data-testid="household-line">
                  {data.reachesLine ? '达到' : '未达到'} {data.povertyLine.year} 年脱贫线 {grouped(data.povertyLine.yuan)} 元
                </Tag>
              ) : (
                <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
                  {asOf.slice(0, 4)} 年脱贫线未设定
                </Typography.Text>
              )}
            </Descriptions.Item>
          </Descriptions>
        </Card>
      )}
      <Card size="small" title="家庭成员" style={{ marginBottom: 16 }}>
        <Table<Member>
          data-testid="household-members"
          rowKey={(m) => `${m.laborerId}-${m.name}`}
          size="small"
          loading={loading}
          pagination={false}
          columns={columns}
          dataSource={data?.members ?? []}
          expandable={{
            rowExpandable: (m) => m.jobs.length > 0,
            expandedRowRender: (m) => (
              <Table<Job>
                rowKey={(j) => `${j.startedOn}-${j.employer}`}
                size="small"
                pagination={false}
                columns={jobColumns}
                dataSource={m.jobs}
              />
            ),
          }}
        />
      </Card>
      <Card size="small" title="成员变动（动态管理台账）">
        <Table
          data-testid="household-history"
          rowKey={(s) => `${s.laborerId}-${s.since}`}
          size="small"
          pagination={false}
          dataSource={data?.history ?? []}
          columns={[
            { title: '姓名', dataIndex: 'name', width: 120 },
            { title: '与户主关系', key: 'relation', width: 110, render: (_, s) => s.relationToHead ?? '—' },
            { title: '自', dataIndex: 'since', width: 120 },
            { title: '至', key: 'until', render: (_, s) => s.until ?? '今' },
          ]}
        />
      </Card>
    </>
  );
}
