import type { ReactNode } from 'react';
import { Breadcrumb } from 'antd';
import { Link, useLocation } from 'react-router-dom';
import { MENU } from './menu.tsx';

/**
 * Where a page sits: 工作台 / the menu group / the menu entry / 详情, from the same menu the side
 * bar shows, so every page carries the same breadcrumb without declaring one (the layout renders it).
 */
function crumbsFor(pathname: string) {
  if (pathname === '/') return null;
  const entry = MENU.filter((m) => m.path !== '/' && (pathname === m.path || pathname.startsWith(`${m.path}/`))).sort(
    (a, b) => b.path.length - a.path.length,
  )[0];
  if (!entry) return null;
  const items: { key: string; title: ReactNode }[] = [{ key: 'home', title: <Link to="/">工作台</Link> }];
  if (entry.group) items.push({ key: entry.group.key, title: entry.group.label });
  const exact = pathname === entry.path;
  items.push({ key: entry.path, title: exact ? entry.label : <Link to={entry.path}>{entry.label}</Link> });
  if (!exact) items.push({ key: 'here', title: '详情' });
  return items;
}

export default function PageBreadcrumb() {
  const { pathname } = useLocation();
  const crumbs = crumbsFor(pathname);
  return crumbs ? <Breadcrumb items={crumbs} style={{ marginBottom: 8 }} data-testid="page-breadcrumb" /> : null;
}
