import { PrinterOutlined } from '@ant-design/icons';
import { Button } from 'antd';

/**
 * 打印: the browser's print dialog over the page's print sheet (`.lw-print-only`), with the console
 * hidden by the print stylesheet (styles.css; a wide sheet turns its own page with the named page
 * `wide`). The sheet is what a user files or sends up with a seal, so it carries its own title and
 * sign lines.
 */
export default function PrintButton({ testId, disabled }: { testId?: string; disabled?: boolean }) {
  return (
    <Button icon={<PrinterOutlined />} onClick={() => window.print()} disabled={disabled} data-testid={testId ?? 'print'}>
      打印
    </Button>
  );
}

/** The sheet's footer: who printed it and when (a printed sheet leaves the system's audit behind). */
export function PrintedBy({ name }: { name: string }) {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  const at = `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())} ${pad(now.getHours())}:${pad(now.getMinutes())}`;
  return (
    <div style={{ marginTop: '3mm', fontSize: '9pt', color: '#444' }}>
      打印人：{name} · 打印时间：{at} · 劳务协作脱贫综合信息服务平台
    </div>
  );
}
