import { useCallback, useEffect, useState, type HTMLAttributes, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { Button, Card, Checkbox, Descriptions, Result, Skeleton, Space, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { api, ApiError, errorText } from '../../api/client.ts';
import { EMPLOYER_KIND, EMPLOYER_KIND_COLORS, employerPath, type Employer } from '../../api/employers.ts';
import { labelOf } from '../../api/laborers.ts';
import { POSTING_WRITER_ROLES, POSTINGS_PATH, type Posting } from '../../api/postings.ts';
import type { Paged } from '../../api/types.ts';
import { useMe } from '../../app/auth.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import PageHeader from '../../components/PageHeader.tsx';
import { postingColumns } from '../postings/columns.tsx';
import ScrollTable from '../../components/ScrollTable.tsx';

const none = <Typography.Text type="secondary">—</Typography.Text>;
const text = (v: string | null | undefined): ReactNode => (v ? v : none);

/** One employer: its record and its postings. */
export default function EmployerDetailPage() {
  const { id = '' } = useParams<{ id: string }>();
  const me = useMe();
  const navigate = useNavigate();
  const [employer, setEmployer] = useState<Employer | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [postings, setPostings] = useState<Paged<Posting>>({ items: [], total: 0 });
  const [postingsError, setPostingsError] = useState<unknown>(null);
  const [postingsLoading, setPostingsLoading] = useState(false);
  const [openOnly, setOpenOnly] = useState(false);
  const [page, setPage] = useState(1);

  useEffect(() => {
    window.scrollTo(0, 0);
    setEmployer(null);
    setLoadError(null);
    api.get<Employer>(employerPath(id)).then(setEmployer, setLoadError);
  }, [id]);

  const loadPostings = useCallback(async () => {
    setPostingsLoading(true);
    try {
      setPostings(await api.get<Paged<Posting>>(POSTINGS_PATH, { employerId: id, openOnly: openOnly || undefined, page, pageSize: 10 }));
      setPostingsError(null);
    } catch (e) {
      setPostingsError(e);
    } finally {
      setPostingsLoading(false);
    }
  }, [id, openOnly, page]);
  useEffect(() => {
    loadPostings();
  }, [loadPostings]);

  if (loadError) {
    const missing = loadError instanceof ApiError && loadError.status === 404;
    return (
      <Result
        status={missing ? '404' : 'error'}
        title={missing ? '用人单位不存在或无权查看' : '加载失败'}
        subTitle={missing ? undefined : errorText(loadError)}
        extra={
          <Link to="/employers">
            <Button type="primary">返回用人单位列表</Button>
          </Link>
        }
      />
    );
  }
  if (!employer) {
    return (
      <Card variant="borderless">
        <Skeleton active paragraph={{ rows: 8 }} />
      </Card>
    );
  }

  const mayPublish = POSTING_WRITER_ROLES.includes(me.role);
  return (
    <>
      <PageHeader
        title={
          <Space size={10} wrap>
            <span data-testid="employer-title">{employer.name}</span>
            <Tag color={EMPLOYER_KIND_COLORS[employer.kind]}>{labelOf(EMPLOYER_KIND, employer.kind)}</Tag>
          </Space>
        }
        description={employer.region.fullName}
        extra={
          <>
            {me.role !== 'employer' && (
              <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/employers')}>
                返回列表
              </Button>
            )}
            {employer.editable && (
              <Link to={`/employers/${employer.id}/edit`}>
                <Button icon={<EditOutlined />} data-testid="employer-edit">
                  编辑
                </Button>
              </Link>
            )}
            {mayPublish && (
              <Link to={`/postings/new?employerId=${employer.id}`}>
                <Button type="primary" icon={<PlusOutlined />} data-testid="employer-publish-posting">
                  发布岗位
                </Button>
              </Link>
            )}
          </>
        }
      />
      <Card variant="borderless" style={{ marginBottom: 16 }} data-testid="employer-detail">
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, lg: 3 }}
          styles={{ label: { width: 130 } }}
          items={[
            {
              key: 'creditCode',
              label: '统一社会信用代码',
              children: (
                <span className="lw-mono" data-testid="employer-credit-code">
                  {employer.creditCode}
                </span>
              ),
            },
            { key: 'kind', label: '单位类型', children: labelOf(EMPLOYER_KIND, employer.kind) },
            {
              key: 'industry',
              label: '所属行业',
              children: employer.industry ? `${employer.industry.code} ${employer.industry.name}` : none,
            },
            {
              key: 'region',
              label: '所在地',
              span: 2,
              children: (
                <span>
                  {employer.region.fullName}
                  <Typography.Text type="secondary" className="lw-mono" style={{ marginLeft: 6, fontSize: 12 }}>
                    {employer.region.code}
                  </Typography.Text>
                </span>
              ),
            },
            { key: 'openPostings', label: '在招岗位', children: `${employer.openPostings} 个` },
            ...(employer.kind === 'workshop'
              ? [{ key: 'relocationSite', label: '所在安置点', children: text(employer.relocationSite) }]
              : []),
            { key: 'contactName', label: '联系人', children: text(employer.contactName) },
            {
              key: 'contactPhone',
              label: '联系电话',
              children: employer.contactPhone ? <span className="lw-mono">{employer.contactPhone}</span> : none,
            },
            { key: 'address', label: '地址', span: 2, children: text(employer.address) },
            { key: 'updatedAt', label: '更新时间', children: dayjs(employer.updatedAt).format('YYYY-MM-DD HH:mm') },
          ]}
        />
      </Card>
      <Card
        variant="borderless"
        title="本单位岗位"
        extra={
          <Checkbox
            checked={openOnly}
            onChange={(e) => {
              setOpenOnly(e.target.checked);
              setPage(1);
            }}
            data-testid="employer-postings-open-only"
          >
            只看在招
          </Checkbox>
        }
      >
        <ErrorAlert error={postingsError} testId="employer-postings-error" />
        <ScrollTable<Posting>
          rowKey="id"
          size="middle"
          data-testid="employer-postings-table"
          columns={postingColumns({ showEmployer: false })}
          dataSource={postings.items}
          loading={postingsLoading}
          scroll={{ x: 1150 }}
          onRow={(p) => ({ 'data-testid': `posting-row-${p.id}` }) as HTMLAttributes<HTMLElement>}
          pagination={{ current: page, pageSize: 10, total: postings.total, onChange: setPage, showTotal: (t) => `共 ${t} 个岗位` }}
          locale={{ emptyText: postingsLoading ? ' ' : openOnly ? '暂无在招岗位' : '尚未发布岗位' }}
        />
      </Card>
    </>
  );
}
