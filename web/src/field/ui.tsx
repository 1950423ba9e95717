import type { ReactNode } from 'react';

/** The field pages' few building blocks (plain CSS in field.css, no UI library). */

export function Section({ title, extra, children, testId }: { title: string; extra?: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <section className="f-card" data-testid={testId}>
      <div className="f-card-head">
        <h2>{title}</h2>
        {extra}
      </div>
      {children}
    </section>
  );
}

export function Select({
  label: text,
  dict,
  value,
  onChange,
  testId,
}: {
  label: string;
  dict: Record<string, string>;
  value: string;
  onChange: (v: string) => void;
  testId?: string;
}) {
  return (
    <label className="f-field">
      <span>{text}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        {Object.entries(dict).map(([code, name]) => (
          <option key={code} value={code}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * A page laid over the current one (a form, a list to pick from): the page below keeps its state
 * and scroll, and ‹ 返回 closes the sheet.
 */
export function Sheet({ title, onClose, children, testId }: { title: string; onClose: () => void; children: ReactNode; testId?: string }) {
  return (
    <div className="f-sheet" role="dialog" aria-label={title} data-testid={testId}>
      <div className="f-sheet-head">
        <button type="button" onClick={onClose} data-testid="field-sheet-close">
          ‹ 返回
        </button>
        <h2>{title}</h2>
      </div>
      <div className="f-sheet-body">{children}</div>
    </div>
  );
}

/** What needs the server says so when there is no connection, instead of failing on a tap. */
export function NeedsNetwork({ online, what }: { online: boolean; what: string }) {
  return online ? null : (
    <p className="f-offline" data-testid="field-needs-network">
      离线中：{what}需要联网，请到有信号的地方再操作
    </p>
  );
}

export const when = (iso: string) => new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
/** Today in China (UTC+8, no daylight saving): the console's own (app/china-time.ts). */
export { chinaToday } from '../app/china-time.ts';
