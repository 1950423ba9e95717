import { DownloadOutlined } from '@ant-design/icons';
import { App, Button } from 'antd';
import { useState } from 'react';
import { download, errorText, type Query } from '../api/client.ts';

const size = (bytes: number) =>
  bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * 导出 Excel (issue 18 item 2): downloads a list's export for the filters on screen, saying while
 * it comes how much has arrived (a county's register is megabytes and takes seconds), and a
 * refusal in words instead of a page of JSON.
 */
export default function ExportButton({
  path,
  query,
  testId,
  disabled,
  label = '导出 Excel',
}: {
  path: string;
  query?: Query;
  testId: string;
  disabled?: boolean;
  label?: string;
}) {
  const { message } = App.useApp();
  const [received, setReceived] = useState<number | null>(null);
  const run = async () => {
    setReceived(0);
    try {
      const { name } = await download(path, query, setReceived);
      message.success(`已导出 ${name}`);
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setReceived(null);
    }
  };
  const busy = received !== null;
  return (
    <Button icon={<DownloadOutlined />} loading={busy} disabled={disabled} onClick={run} data-testid={testId}>
      {busy ? (received ? `导出中… 已接收 ${size(received)}` : '导出中…') : label}
    </Button>
  );
}
