import { useEffect, useState } from 'react';
import { createPortal } from 'react-dom';
import { App, Button } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { api, errorText } from '../../api/client.ts';
import type { Paged } from '../../api/types.ts';
import {
  EDUCATION,
  EMPLOYMENT_STATUS,
  LABOR_CAPACITY,
  LABORERS_PATH,
  SEX,
  WILLINGNESS,
  labelOf,
  type Laborer,
} from '../../api/laborers.ts';
import { PrintedBy } from '../../components/PrintButton.tsx';

/** The roster's place: the village when every card is of one village, else the register's region. */
const rosterName = (rows: Laborer[], regionName: string) =>
  rows.length && rows.every((l) => l.homeVillage.code === rows[0]!.homeVillage.code) ? rows[0]!.homeVillage.fullName : regionName;

/** A register printed on paper is a village's or a township's, not a county's: beyond this, export. */
export const PRINT_MAX_ROWS = 5000;
const PAGE = 200;

/**
 * 一村一册 on paper: every card of the register's current filter (all pages, not the one on screen),
 * fetched page by page with the count shown on the button, laid out as a roster on landscape A4 with
 * the village's sign and seal lines, then the browser's print dialog. Identifiers masked as listed.
 * The roster is put beside the console (a portal into <body>) and, while it is there, the console is
 * hidden from print (`body.lw-printing-roster`), so the roster is all that prints.
 */
export default function RegisterPrint({
  query,
  regionName,
  printedBy,
}: {
  query: Record<string, string | number | boolean | undefined>;
  regionName: string;
  printedBy: string;
}) {
  const { message } = App.useApp();
  const [rows, setRows] = useState<Laborer[] | null>(null);
  const [progress, setProgress] = useState<string | null>(null);
  useEffect(() => {
    if (!rows) return;
    document.body.classList.add('lw-printing-roster');
    return () => document.body.classList.remove('lw-printing-roster');
  }, [rows]);

  const print = async () => {
    try {
      const all: Laborer[] = [];
      for (let page = 1; ; page++) {
        const data = await api.get<Paged<Laborer>>(LABORERS_PATH, { ...query, page, pageSize: PAGE });
        if (data.total > PRINT_MAX_ROWS) {
          message.warning(`当前名册共 ${data.total} 人，超过打印上限 ${PRINT_MAX_ROWS} 人，请按村筛选后打印，或导出 Excel`);
          return;
        }
        all.push(...data.items);
        setProgress(`${all.length}/${data.total}`);
        if (all.length >= data.total || !data.items.length) break;
      }
      setRows(all);
      // Printed once the roster has rendered.
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
      <Button icon={<PrinterOutlined />} loading={progress !== null} onClick={print} data-testid="laborer-print-register">
        {progress ? `准备打印 ${progress}` : '打印名册'}
      </Button>
      {rows &&
        createPortal(
          <div className="lw-print-only lw-print-sheet lw-landscape-sheet" data-testid="register-print-sheet">
            <h1>{rosterName(rows, regionName)}贫困劳动力花名册（一村一册）</h1>
            <div className="lw-print-meta">
              <span>共 {rows.length} 人</span>
              <span>截至 {dayjs().format('YYYY-MM-DD')}</span>
            </div>
            <table>
              <thead>
                <tr>
                  {[
                    '序号',
                    '姓名',
                    '性别',
                    '年龄',
                    '身份证号',
                    '手机号',
                    '户编号',
                    '与户主关系',
                    '文化程度',
                    '劳动能力',
                    '就业状态',
                    '就业意愿',
                    '最近核实',
                  ].map((h) => (
                    <th key={h}>{h}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((l, i) => (
                  <tr key={l.id}>
                    <td className="lw-num">{i + 1}</td>
                    <td>{l.name}</td>
                    <td>{labelOf(SEX, l.sex)}</td>
                    <td className="lw-num">{l.age}</td>
                    <td>{l.idNumberMasked}</td>
                    <td>{l.phoneMasked ?? '—'}</td>
                    <td>{l.householdCode ?? '—'}</td>
                    <td>{l.relationToHead ?? '—'}</td>
                    <td>{labelOf(EDUCATION, l.education)}</td>
                    <td>{labelOf(LABOR_CAPACITY, l.laborCapacity)}</td>
                    <td>{labelOf(EMPLOYMENT_STATUS, l.employmentStatus)}</td>
                    <td>{labelOf(WILLINGNESS, l.willingness)}</td>
                    <td>{l.lastConfirmedAt ? dayjs(l.lastConfirmedAt).format('YYYY-MM-DD') : '未核实'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <div className="lw-print-sign">
              <span>村信息员（签字）：__________</span>
              <span>村委会（盖章）：</span>
              <span>乡镇审核人：__________</span>
              <span>日期：____年__月__日</span>
            </div>
            <PrintedBy name={printedBy} />
          </div>,
          document.body,
        )}
    </>
  );
}
