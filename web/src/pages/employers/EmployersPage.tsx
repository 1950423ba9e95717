import { Link } from 'react-router-dom';
import { Button, Card } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { EMPLOYER_CREATOR_ROLES, EMPLOYERS_PATH, type Employer } from '../../api/employers.ts';
import { useMe } from '../../app/auth.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import { FilterBar, ListTable, useListQuery } from '../../components/list/index.ts';
import PageHeader from '../../components/PageHeader.tsx';
import { EMPLOYER_FILTERS, employerColumns, employerFilterFields } from './columns.tsx';

/** 用人单位: the employers of the platform, readable by every staff role; an employer account sees its own. */
export default function EmployersPage() {
  const me = useMe();
  const list = useListQuery<Employer, typeof EMPLOYER_FILTERS>(EMPLOYERS_PATH, { filters: EMPLOYER_FILTERS });
  const { hasFilters } = list;
  const canCreate = EMPLOYER_CREATOR_ROLES.includes(me.role);
  const isEmployer = me.role === 'employer';

  return (
    <>
      <PageHeader
        title={<span data-testid="employers-title">{isEmployer ? '本单位信息' : '用人单位'}</span>}
        description={
          isEmployer
            ? '本单位的登记信息与在招岗位'
            : '定点接收单位、就业扶贫基地、扶贫车间和普通用人单位；各地工作人员均可查看，登记和修改限本辖区'
        }
        extra={
          canCreate && (
            <Link to="/employers/new">
              <Button type="primary" icon={<PlusOutlined />} data-testid="employer-create">
                登记用人单位
              </Button>
            </Link>
          )
        }
      />
      <Card variant="borderless">
        {!isEmployer && (
          <FilterBar
            name="employer-filter"
            list={list}
            fields={employerFilterFields(list.filters.industry, (v) => list.setFilters({ industry: v }))}
          />
        )}
        <ErrorAlert error={list.error} testId="employers-error" />
        <ListTable<Employer>
          rowKey="id"
          data-testid="employers-table"
          list={list}
          columns={employerColumns}
          unit="家"
          scroll={{ x: 1300 }}
          rowTestId={(e) => `employer-row-${e.id}`}
          locale={{
            emptyText: list.loading
              ? ' '
              : hasFilters
                ? '暂无符合条件的用人单位'
                : isEmployer
                  ? '本账号尚未关联用人单位，请联系当地人社部门'
                  : '尚未登记用人单位',
          }}
        />
      </Card>
    </>
  );
}
