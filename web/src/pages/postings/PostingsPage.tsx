import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { Checkbox, Space, Tag } from 'antd';
import { api } from '../../api/client.ts';
import { employerPath, type Employer } from '../../api/employers.ts';
import { optionsOf } from '../../api/laborers.ts';
import { POSTING_STATUS, POSTING_WRITER_ROLES, POSTINGS_PATH, type Posting } from '../../api/postings.ts';
import { useMe } from '../../app/auth.tsx';
import { OccupationCascader } from '../../components/CodeCascader.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import { FilterBar, ListTable, useListQuery } from '../../components/list/index.ts';
import PageHeader from '../../components/PageHeader.tsx';
import BulkImportButton from '../../components/BulkImportButton.tsx';
import { Button, Card } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { POSTING_FILTERS, POSTING_SORTS, postingColumns } from './columns.tsx';

/** 岗位: the job list; "只看在招" is the job supply list (岗位供给清单). Every staff role sees the jobs anywhere. */
export default function PostingsPage() {
  const me = useMe();
  const list = useListQuery<Posting, typeof POSTING_FILTERS, (typeof POSTING_SORTS)[number]>(POSTINGS_PATH, {
    filters: POSTING_FILTERS,
    sorts: POSTING_SORTS,
  });
  const { filters } = list;
  const [employerName, setEmployerName] = useState<string | null>(null);
  useEffect(() => {
    setEmployerName(null);
    if (filters.employerId)
      api.get<Employer>(employerPath(filters.employerId)).then(
        (e) => setEmployerName(e.name),
        () => setEmployerName(null),
      );
  }, [filters.employerId]);
  const canPublish = POSTING_WRITER_ROLES.includes(me.role);

  return (
    <>
      <PageHeader
        title={<span data-testid="postings-title">{me.role === 'employer' ? '本单位岗位' : '岗位'}</span>}
        description="勾选“只看在招”即岗位供给清单：招聘中、在有效期内、尚未招满的岗位"
        extra={
          canPublish && (
            <Space>
              <BulkImportButton
                base={POSTINGS_PATH}
                label="岗位"
                rules="从招聘网站、中介机构收集的岗位按模板填写，一行一个岗位。用人单位须已登记（按统一社会信用代码识别），工作地点须在您的管辖范围内或单位在您的辖区；同一单位的同一外部编号（无编号时同一岗位名称和开始日期）只导入一次。"
                onImported={list.reload}
                testId="posting-import"
              />
              <Link to={filters.employerId ? `/postings/new?employerId=${filters.employerId}` : '/postings/new'}>
                <Button type="primary" icon={<PlusOutlined />} data-testid="posting-create">
                  发布岗位
                </Button>
              </Link>
            </Space>
          )
        }
      />
      <Card variant="borderless">
        <FilterBar
          name="posting-filter"
          list={list}
          fields={[
            !!filters.employerId && {
              kind: 'node',
              key: 'employer',
              label: '单位',
              node: (
                <Tag closable onClose={() => list.setFilters({ employerId: undefined })} data-testid="posting-filter-employer">
                  {employerName ?? `单位 ${filters.employerId}`}
                </Tag>
              ),
            },
            { kind: 'region', name: 'region', label: '工作地点', placeholder: '全国', testId: 'posting-filter-region' },
            {
              kind: 'node',
              key: 'occupation',
              label: '工种',
              node: (
                <OccupationCascader
                  changeOnSelect
                  value={filters.occupation}
                  placeholder="全部（可选大类、中类）"
                  style={{ width: 240 }}
                  onChange={(code) => list.setFilters({ occupation: code })}
                  data-testid="posting-filter-occupation"
                />
              ),
            },
            {
              kind: 'select',
              name: 'status',
              label: '状态',
              width: 110,
              options: optionsOf(POSTING_STATUS),
              testId: 'posting-filter-status',
            },
            {
              kind: 'select',
              name: 'reservedForPoor',
              label: '扶贫专岗',
              width: 100,
              options: [
                { value: 'true', label: '是' },
                { value: 'false', label: '否' },
              ],
              testId: 'posting-filter-reserved',
            },
            {
              kind: 'number',
              name: 'wageAtLeast',
              label: '月薪可达',
              min: 0,
              max: 1_000_000,
              step: 500,
              suffix: '元',
              placeholder: '不限',
              testId: 'posting-filter-wage',
            },
            {
              kind: 'search',
              name: 'q',
              placeholder: '岗位名称',
              width: 180,
              testId: 'posting-search',
              submitTestId: 'posting-search-submit',
            },
            {
              kind: 'node',
              key: 'openOnly',
              node: (
                <Checkbox
                  checked={filters.openOnly === 'true'}
                  onChange={(e) => list.setFilters({ openOnly: e.target.checked ? 'true' : undefined })}
                  data-testid="posting-filter-open-only"
                >
                  只看在招
                </Checkbox>
              ),
            },
          ]}
        />
        <ErrorAlert error={list.error} testId="postings-error" />
        <ListTable<Posting>
          rowKey="id"
          data-testid="postings-table"
          list={list}
          unit="个岗位"
          columns={[
            ...postingColumns({ showEmployer: me.role !== 'employer', sortable: true }),
            {
              title: '操作',
              key: 'actions',
              width: 110,
              fixed: 'right',
              render: (_: unknown, p) => (
                <Space size={12}>
                  <Link to={`/postings/${p.id}`} data-testid="posting-view">
                    查看
                  </Link>
                  {p.editable && (
                    <Link to={`/postings/${p.id}/edit`} data-testid="posting-edit-link">
                      编辑
                    </Link>
                  )}
                </Space>
              ),
            },
          ]}
          scroll={{ x: 1480 }}
          rowTestId={(p) => `posting-row-${p.id}`}
          locale={{ emptyText: list.loading ? ' ' : list.hasFilters ? '暂无符合条件的岗位' : '尚未发布岗位' }}
        />
      </Card>
    </>
  );
}
