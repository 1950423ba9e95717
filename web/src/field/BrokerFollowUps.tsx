import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { END_REASON } from '../../../contracts/employment.ts';
import { FOLLOW_UP_METHOD } from './labels.ts';
import { chinaToday, NeedsNetwork, Section, Select, Sheet } from './ui.tsx';
import { type FollowUp, type RecordFollowUpInput, workApi } from './workApi.ts';

/**
 * 劳务经纪人's follow-ups on the phone (issue 19 item 1): a hire through the broker's referral puts
 * its 1/3/6/12-month follow-ups on the broker's list (follow_up.responsible_account), and the
 * workbench counts the overdue ones. Here the broker sees those due and records one through
 * POST /follow-ups/:id, the endpoint and checks the console's 记录回访 uses; "已离岗" ends the job and
 * opens the re-employment case on the server. Like the rest of the broker's phone work it is read
 * and sent online only (nothing of it is kept on the phone), and the page says so offline.
 */
const REASONS: Record<string, string> = END_REASON.labels;
/** As the officer's phone list: overdue ones, and those due within the coming 30 days. */
const DUE_WINDOW_DAYS = 30;
const dueBy = () => new Date(Date.parse(chinaToday()) + DUE_WINDOW_DAYS * 86_400_000).toISOString().slice(0, 10);

export default function BrokerFollowUps({
  online,
  show,
  onRecorded,
}: {
  online: boolean;
  show: (text: string, kind?: 'ok' | 'error') => void;
  /** A follow-up was recorded: the workbench's 逾期未回访 is read again. */
  onRecorded?: () => void;
}) {
  const [list, setList] = useState<{ items: FollowUp[]; total: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [recording, setRecording] = useState<FollowUp | null>(null);

  const load = useCallback(() => {
    if (!online) return;
    workApi.dueFollowUps(dueBy()).then(
      (r) => {
        setList(r);
        setError(null);
      },
      (e: Error) => setError(e.message),
    );
  }, [online]);
  useEffect(load, [load]);

  const overdue = list?.items.filter((f) => f.overdue).length ?? 0;
  return (
    <Section title={`待回访${list ? ` · ${list.total} 次${overdue ? `（逾期 ${overdue}）` : ''}` : ''}`} testId="field-broker-follow-ups">
      <p className="f-note">经您推荐录用的人员，入职后第 1、3、6、12 个月由您回访；显示已逾期和 {DUE_WINDOW_DAYS} 天内到期的</p>
      {error ? <p className="f-error">{error}</p> : null}
      {list && !list.items.length ? <p className="f-note">没有待回访任务</p> : null}
      <ul className="f-list">
        {(list?.items ?? []).map((f) => (
          <li key={f.id}>
            <button
              type="button"
              className="f-row"
              disabled={!online}
              onClick={() => setRecording(f)}
              data-testid="field-broker-follow-up-row"
            >
              <span className="f-name">
                {f.laborer.name} · 第 {f.months} 个月回访
                {f.overdue ? <em className="f-status f-status-overdue">已逾期</em> : null}
              </span>
              <small>
                {f.workplace ?? '工作单位不详'} · {f.workRegionName} · {f.startedOn} 入职
              </small>
              <small className={f.overdue ? 'f-error' : ''}>应于 {f.dueOn} 前回访</small>
            </button>
          </li>
        ))}
      </ul>
      {list && list.total > list.items.length ? (
        <p className="f-note">
          共 {list.total} 次，仅显示最早到期的 {list.items.length} 次，请在电脑上查看全部
        </p>
      ) : null}
      {recording ? (
        <RecordFollowUp
          followUp={recording}
          online={online}
          onClose={() => setRecording(null)}
          onDone={(text) => {
            setRecording(null);
            show(text);
            load();
            onRecorded?.();
          }}
        />
      ) : null}
    </Section>
  );
}

/**
 * 记录回访 as the console's form has it: the day (not after today, not before the start), the way,
 * at work or not; not at work: the last day (the follow-up's day when left empty) and why, which
 * the server turns into 登记离职 and a re-employment case.
 */
function RecordFollowUp({
  followUp: f,
  online,
  onClose,
  onDone,
}: {
  followUp: FollowUp;
  online: boolean;
  onClose: () => void;
  onDone: (text: string) => void;
}) {
  const [doneOn, setDoneOn] = useState(chinaToday());
  const [method, setMethod] = useState('phone');
  const [stillEmployed, setStillEmployed] = useState(true);
  const [endedOn, setEndedOn] = useState('');
  const [endReason, setEndReason] = useState('');
  const [returnee, setReturnee] = useState(false);
  const [problems, setProblems] = useState('');
  const [helpGiven, setHelpGiven] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** A change to what a check refused takes its message away. */
  const edit =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      setError(null);
      set(value);
    };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const today = chinaToday();
    // The server's checks and words (employment.service recordFollowUp / endEmployment), before the round trip.
    if (!doneOn) return setError('请选择回访日期');
    if (doneOn > today) return setError(`回访日期（${doneOn}）不能晚于今天`);
    if (doneOn < f.startedOn) return setError(`回访日期不能早于入职日期（${f.startedOn}）`);
    if (!stillEmployed) {
      if (!endReason) return setError('请选择离职原因');
      if (endedOn && endedOn > today) return setError(`离职日期（${endedOn}）不能晚于今天`);
      if (endedOn && endedOn < f.startedOn) return setError(`离职日期不能早于入职日期（${f.startedOn}）`);
    }
    const body: RecordFollowUpInput = {
      doneOn,
      method: method as RecordFollowUpInput['method'],
      stillEmployed,
      ...(problems.trim() ? { problems: problems.trim() } : {}),
      ...(helpGiven.trim() ? { helpGiven: helpGiven.trim() } : {}),
      ...(stillEmployed ? {} : { ...(endedOn ? { endedOn } : {}), endReason: endReason as RecordFollowUpInput['endReason'], returnee }),
    };
    setBusy(true);
    try {
      await workApi.recordFollowUp(f.id, body);
      onDone(stillEmployed ? '回访已记录' : '回访已记录，已登记离职并开启转岗服务');
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };

  return (
    <Sheet title={`记录回访 · ${f.laborer.name}`} onClose={onClose} testId="field-broker-follow-up-form">
      <NeedsNetwork online={online} what="记录回访" />
      {/* noValidate: the checks below say what is wrong in words, where the browser would only refuse. */}
      <form onSubmit={submit} className="f-card" noValidate>
        <p className="f-note">
          第 {f.months} 个月回访 · {f.workplace ?? '工作单位不详'}（{f.workRegionName}）· {f.startedOn} 入职 · 应于 {f.dueOn} 前
        </p>
        <label className="f-field">
          <span>回访日期</span>
          <input
            type="date"
            value={doneOn}
            min={f.startedOn}
            max={chinaToday()}
            onChange={(e) => edit(setDoneOn)(e.target.value)}
            data-testid="field-broker-follow-up-date"
          />
        </label>
        <Select label="回访方式" dict={FOLLOW_UP_METHOD} value={method} onChange={setMethod} testId="field-broker-follow-up-method" />
        <div className="f-field">
          <span>是否仍在岗</span>
          <div className="f-checks">
            <label className="f-check">
              <input
                type="radio"
                name="stillEmployed"
                checked={stillEmployed}
                onChange={() => edit(setStillEmployed)(true)}
                data-testid="field-broker-follow-up-employed"
              />
              <span>在岗</span>
            </label>
            <label className="f-check">
              <input
                type="radio"
                name="stillEmployed"
                checked={!stillEmployed}
                onChange={() => edit(setStillEmployed)(false)}
                data-testid="field-broker-follow-up-left"
              />
              <span>已离岗</span>
            </label>
          </div>
        </div>
        {stillEmployed ? null : (
          <>
            <label className="f-field">
              <span>离职日期（不填则为回访日期）</span>
              <input
                type="date"
                value={endedOn}
                min={f.startedOn}
                max={chinaToday()}
                onChange={(e) => edit(setEndedOn)(e.target.value)}
                data-testid="field-broker-follow-up-ended"
              />
            </label>
            <Select
              label="离职原因"
              dict={{ '': '请选择', ...REASONS }}
              value={endReason}
              onChange={edit(setEndReason)}
              testId="field-broker-follow-up-reason"
            />
            <label className="f-check">
              <input type="checkbox" checked={returnee} onChange={(e) => setReturnee(e.target.checked)} />
              <span>已返乡（回到求职需求清单）</span>
            </label>
          </>
        )}
        <label className="f-field">
          <span>反映的问题</span>
          <textarea
            rows={2}
            maxLength={500}
            value={problems}
            onChange={(e) => setProblems(e.target.value)}
            data-testid="field-broker-follow-up-problems"
          />
        </label>
        <label className="f-field">
          <span>提供的帮助</span>
          <textarea rows={2} maxLength={500} value={helpGiven} onChange={(e) => setHelpGiven(e.target.value)} />
        </label>
        {error ? (
          <p className="f-error" data-testid="field-broker-follow-up-error">
            {error}
          </p>
        ) : null}
        <button type="submit" className="f-primary f-block" disabled={!online || busy} data-testid="field-broker-follow-up-save">
          {busy ? '正在保存…' : '保存回访'}
        </button>
      </form>
    </Sheet>
  );
}
