import type { ReactNode } from 'react';
import { Breadcrumb, Flex, Typography } from 'antd';
import { Link, useLocation } from 'react-router-dom';
import { MENU } from '../app/menu.tsx';

/**
 * Where a page sits: 工作台 / the menu group / the menu entry / this page, from the same menu the
 * side bar shows, so every page carries the same breadcrumb without declaring one.
 */
function crumbsFor(pathname: string, title: ReactNode) {
  if (pathname === '/') return null;
  const entry = MENU.filter((m) => m.path !== '/' && (pathname === m.path || pathname.startsWith(`${m.path}/`))).sort(
    (a, b) => b.path.length - a.path.length,
  )[0];
  if (!entry) return null;
  const items: { key: string; title: ReactNode }[] = [{ key: 'home', title: <Link to="/">工作台</Link> }];
  if (entry.group) items.push({ key: entry.group.key, title: entry.group.label });
  const exact = pathname === entry.path;
  items.push({ key: entry.path, title: exact ? entry.label : <Link to={entry.path}>{entry.label}</Link> });
  if (!exact) items.push({ key: 'here', title: typeof title === 'string' ? title : '详情' });
  return items;
}

/** Title line of a console page: breadcrumb, title, one sentence of what it is for, and page-level actions. */
export default function PageHeader({ title, description, extra }: { title: ReactNode; description?: ReactNode; extra?: ReactNode }) {
  const { pathname } = useLocation();
  const crumbs = crumbsFor(pathname, title);
  return (
    <>
      {crumbs && <Breadcrumb items={crumbs} style={{ marginBottom: 8 }} data-testid="page-breadcrumb" />}
      <Flex justify="space-between" align="flex-start" gap={16} wrap style={{ marginBottom: 16 }}>
        <div>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {title}
          </Typography.Title>
          {description && (
            <Typography.Text type="secondary" style={{ display: 'block', marginTop: 4 }}>
              {description}
            </Typography.Text>
          )}
        </div>
        {extra && <Flex gap={8}>{extra}</Flex>}
      </Flex>
    </>
  );
}
