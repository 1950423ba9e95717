import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import { App, Button } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import { errorText } from '../api/client.ts';
import { PrintedBy } from './PrintButton.tsx';
import { chinaNow } from '../app/format.ts';

/** A list printed on paper is a village's or a township's, not a county's: beyond this, export. */
export const PRINT_MAX_ROWS = 5000;
const PAGE = 200;

export interface PrintColumn<T> {
  title: string;
  value: (row: T, index: number) => string | number;
  numeric?: boolean;
}

/**
 * A whole list on paper (issue 18 item 3): every row of the list's current filter — all pages, not
 * the one on screen —, fetched page by page with the count shown on the button, laid out as a table
 * on landscape A4 under its title, with the sign (and seal) lines of whoever files it, then the
 * browser's print dialog. The sheet is put beside the console (a portal into <body>) and, while it
 * is there, the console is hidden from print (`body.lw-printing-roster`), so the list is all that
 * prints. Rows are as the list's API gives them: identifiers masked.
 */
export default function ListPrint<T>({
  fetchPage,
  title,
  columns,
  signs,
  printedBy,
  testId,
  label = '打印',
}: {
  fetchPage: (page: number, pageSize: number) => Promise<{ items: T[]; total: number }>;
  /** The sheet's title, from the rows (e.g. their one village) or looked up (e.g. the region's name). */
  title: (rows: T[]) => string | Promise<string>;
  columns: PrintColumn<T>[];
  signs: string[];
  printedBy: string;
  testId: string;
  label?: string;
}) {
  const { message } = App.useApp();
  const [rows, setRows] = useState<T[] | null>(null);
  const [heading, setHeading] = useState('');
  const [progress, setProgress] = useState<string | null>(null);
  useEffect(() => {
    if (!rows) return;
    document.body.classList.add('lw-printing-roster');
    return () => document.body.classList.remove('lw-printing-roster');
  }, [rows]);

  const print = async () => {
    try {
      const all: T[] = [];
      for (let page = 1; ; page++) {
        const data = await fetchPage(page, PAGE);
        if (data.total > PRINT_MAX_ROWS) {
          message.warning(`当前名单共 ${data.total} 人，超过打印上限 ${PRINT_MAX_ROWS} 人，请缩小范围后打印，或导出 Excel`);
          setProgress(null);
          return;
        }
        all.push(...data.items);
        setProgress(`${all.length}/${data.total}`);
        if (all.length >= data.total || !data.items.length) break;
      }
      setHeading(await title(all));
      setRows(all);
      // Printed once the sheet has rendered.
      setTimeout(() => {
        window.print();
        setProgress(null);
      }, 50);
    } catch (e) {
      message.error(errorText(e));
      setProgress(null);
    }
  };

  return (
    <>
      <Button icon={<PrinterOutlined />} loading={progress !== null} onClick={print} data-testid={testId}>
        {progress ? `准备打印 ${progress}` : label}
      </Button>
      {rows &&
        createPortal(
          <div className="lw-print-only lw-print-sheet lw-landscape-sheet" data-testid={`${testId}-sheet`}>
            <h1>{heading}</h1>
            <div className="lw-print-meta">
              <span>共 {rows.length} 人</span>
              <span>截至 {chinaNow().format('YYYY-MM-DD')}</span>
            </div>
            <table>
              <thead>
                <tr>
                  {columns.map((c) => (
                    <th key={c.title}>{c.title}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((r, i) => (
                  <tr key={i}>
                    {columns.map((c) => (
                      <td key={c.title} className={c.numeric ? 'lw-num' : undefined}>
                        {c.value(r, i)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="lw-print-sign">
              {signs.map((s) => (
                <span key={s}>{s}</span>
              ))}
            </div>
            <PrintedBy name={printedBy} />
          </div>,
          document.body,
        )}
    </>
  );
}
