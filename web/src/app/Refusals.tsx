import { Button, Result } from 'antd';
import { Link } from 'react-router-dom';

/**
 * The 403 and 404 pages. Their own chunk: antd's Result carries its illustrations, which a page
 * the account may open never needs.
 */
export function Forbidden() {
  return (
    <Result
      status="403"
      title="无权访问"
      subTitle="您的账号角色无权使用此功能，如有需要请联系上级管理员。"
      extra={
        <Link to="/">
          <Button type="primary">返回工作台</Button>
        </Link>
      }
    />
  );
}

export function NotFound() {
  return (
    <Result
      status="404"
      title="页面不存在"
      subTitle="您访问的页面不存在或已被移除。"
      extra={
        <Link to="/">
          <Button type="primary">返回工作台</Button>
        </Link>
      }
    />
  );
}
