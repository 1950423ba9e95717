import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { END_REASON } from '../../../contracts/employment.ts';
import { EMPLOYMENT_CHANNEL, REFERRAL_STATUS } from '../../../contracts/referrals.ts';
import type { Laborer } from './store.ts';
import { ReferralSheet } from './BrokerWork.tsx';
import ReferSheet from './ReferSheet.tsx';
import { chinaToday, NeedsNetwork, Section, Select, Sheet, when } from './ui.tsx';
import { type CardEmployments, type Employment, type ReferralDetail, type Referral, type Region, workApi } from './workApi.ts';

/**
 * The card's work on the officer's phone (issue 19 item 1): the current job and those before,
 * 登记就业 and 登记离职 through employment's own endpoints (POST /employments, /employments/:id/end,
 * as the console's card does), and 推荐到岗位 with the card's referrals. These need the server
 * (a job decides 已就业 and schedules follow-ups there), so they are online only; the page says so.
 */
const CHANNELS: Record<string, string> = Object.fromEntries(
  Object.entries(EMPLOYMENT_CHANNEL.labels).filter(([code]) => code !== 'unknown'),
);
const REASONS: Record<string, string> = END_REASON.labels;
const STATUS: Record<string, string> = REFERRAL_STATUS.labels;
const employerOf = (e: Employment) => e.employerName ?? e.workplaceName ?? '不详';

export default function CardWork({
  card,
  online,
  show,
  onChanged,
}: {
  card: Laborer;
  online: boolean;
  show: (text: string, kind?: 'ok' | 'error') => void;
  /** A job was registered or ended: the card (已就业 / 未就业) is read again. */
  onChanged: () => void;
}) {
  const [jobs, setJobs] = useState<CardEmployments | null>(null);
  const [referrals, setReferrals] = useState<Referral[] | null>(null);
  const [sheet, setSheet] = useState<'register' | 'end' | 'refer' | null>(null);
  const [detail, setDetail] = useState<ReferralDetail | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    if (!online) return;
    workApi.jobs(card.id).then(
      (j) => {
        setJobs(j);
        setError(null);
      },
      (e: Error) => setError(e.message),
    );
    workApi.referrals({ laborer: card.id }).then(
      (r) => setReferrals(r.items),
      () => setReferrals([]),
    );
  }, [card.id, online]);
  useEffect(load, [load]);

  const done = (text: string) => {
    setSheet(null);
    show(text);
    load();
    onChanged();
  };
  const current = jobs?.current ?? null;

  return (
    <>
      <Section
        title="就业记录"
        testId="field-jobs"
        extra={
          jobs && !current ? (
            <button
              type="button"
              className="f-primary"
              disabled={!online}
              onClick={() => setSheet('register')}
              data-testid="field-job-register"
            >
              登记就业
            </button>
          ) : null
        }
      >
        <NeedsNetwork online={online} what="查看和登记就业" />
        {error ? <p className="f-error">{error}</p> : null}
        {current ? (
          <div data-testid="field-job-current">
            <dl className="f-dl">
              <div>
                <dt>工作单位</dt>
                <dd>{employerOf(current)}</dd>
              </div>
              <div>
                <dt>工作地</dt>
                <dd>{current.workRegionName}</dd>
              </div>
              <div>
                <dt>入职日期</dt>
                <dd>{current.startedOn}</dd>
              </div>
              <div>
                <dt>月工资</dt>
                <dd>{current.monthlyWage != null ? `${current.monthlyWage} 元` : '—'}</dd>
              </div>
              <div>
                <dt>就业渠道</dt>
                <dd>{EMPLOYMENT_CHANNEL.labels[current.channel] ?? current.channel}</dd>
              </div>
            </dl>
            <button type="button" className="f-block" disabled={!online} onClick={() => setSheet('end')} data-testid="field-job-end">
              登记离职
            </button>
          </div>
        ) : jobs ? (
          <p className="f-note">目前没有在岗的就业记录</p>
        ) : null}
        {jobs?.past.length ? (
          <ul className="f-outbox" data-testid="field-job-past">
            {jobs.past.map((e) => (
              <li key={e.id}>
                <span>{employerOf(e)}</span>
                <small>
                  {e.startedOn} 至 {e.endedOn} · {e.endReason ? REASONS[e.endReason] : ''}
                </small>
              </li>
            ))}
          </ul>
        ) : null}
      </Section>

      <Section
        title="推荐岗位"
        testId="field-card-referrals"
        extra={
          <button type="button" className="f-primary" disabled={!online} onClick={() => setSheet('refer')} data-testid="field-refer-open">
            推荐到岗位
          </button>
        }
      >
        {referrals && !referrals.length ? <p className="f-note">还没有推荐记录</p> : null}
        <ul className="f-list">
          {(referrals ?? []).map((r) => (
            <li key={r.id}>
              <button
                type="button"
                className="f-row"
                onClick={() => workApi.referral(r.id).then(setDetail, (e: Error) => show(e.message, 'error'))}
              >
                <span>
                  {r.posting.title}
                  <em className="f-status">{STATUS[r.status] ?? r.status}</em>
                </span>
                <small>
                  {r.posting.employerName} · {when(r.createdAt)}
                </small>
              </button>
            </li>
          ))}
        </ul>
      </Section>

      {sheet === 'register' ? <RegisterJob card={card} online={online} onClose={() => setSheet(null)} onDone={done} /> : null}
      {sheet === 'end' && current ? (
        <EndJob card={card} job={current} online={online} onClose={() => setSheet(null)} onDone={done} />
      ) : null}
      {sheet === 'refer' ? (
        <ReferSheet
          laborer={{ id: card.id, name: card.name, village: card.homeVillage.fullName }}
          channel="staff"
          online={online}
          onClose={() => setSheet(null)}
          onDone={done}
        />
      ) : null}
      {detail ? <ReferralSheet referral={detail} onClose={() => setDetail(null)} /> : null}
    </>
  );
}

/** 登记就业: where, since when, at what wage; the place of work picked by county name (the card's own county first). */
function RegisterJob({
  card,
  online,
  onClose,
  onDone,
}: {
  card: Laborer;
  online: boolean;
  onClose: () => void;
  onDone: (text: string) => void;
}) {
  const [channel, setChannel] = useState('self_found');
  const [workplace, setWorkplace] = useState('');
  const [creditCode, setCreditCode] = useState('');
  const [contact, setContact] = useState('');
  const [place, setPlace] = useState<{ code: string; name: string } | null>(null);
  const [placeQ, setPlaceQ] = useState('');
  const [places, setPlaces] = useState<Region[]>([]);
  const [startedOn, setStartedOn] = useState(chinaToday());
  const [wage, setWage] = useState('');
  const [insured, setInsured] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // The home county is where most village jobs are (扶贫车间, 公益性岗位): offered first.
  useEffect(() => {
    const county = card.homeVillage.code.slice(0, 6);
    workApi.region(county).then(
      (r) => setPlace((p) => p ?? { code: r.code, name: r.fullName }),
      () => undefined,
    );
  }, [card.homeVillage.code]);
  useEffect(() => {
    if (!placeQ.trim() || !online) return setPlaces([]);
    const timer = setTimeout(() => {
      workApi.counties(placeQ).then(
        (r) => setPlaces(r.items),
        () => setPlaces([]),
      );
    }, 250);
    return () => clearTimeout(timer);
  }, [placeQ, online]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if ([...workplace.trim()].length < 2) return setError('请填写工作单位名称（至少 2 个字）');
    if (!place) return setError('请选择工作地（县）');
    if (!/^\d{1,7}$/.test(wage.trim())) return setError('请填写月工资（元，整数）');
    if (startedOn > chinaToday()) return setError('入职日期不能晚于今天');
    setBusy(true);
    try {
      await workApi.registerJob({
        laborerId: card.id,
        workplaceName: workplace.trim(),
        ...(creditCode.trim() ? { employerCreditCode: creditCode.trim() } : {}),
        ...(contact.trim() ? { workplaceContact: contact.trim() } : {}),
        workRegionCode: place.code,
        startedOn,
        monthlyWage: Number(wage.trim()),
        socialInsurance: insured,
        channel: channel as 'self_found',
      });
      onDone(`已登记${card.name}的就业`);
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };

  return (
    <Sheet title={`登记就业 · ${card.name}`} onClose={onClose} testId="field-job-form">
      <NeedsNetwork online={online} what="登记就业" />
      <form onSubmit={submit} className="f-card">
        <Select label="就业渠道" dict={CHANNELS} value={channel} onChange={setChannel} testId="field-job-channel" />
        <label className="f-field">
          <span>工作单位名称</span>
          <input maxLength={100} value={workplace} onChange={(e) => setWorkplace(e.target.value)} data-testid="field-job-workplace" />
        </label>
        <label className="f-field">
          <span>统一社会信用代码（选填；已登记的用人单位会自动关联）</span>
          <input maxLength={18} value={creditCode} onChange={(e) => setCreditCode(e.target.value.toUpperCase())} />
        </label>
        <label className="f-field">
          <span>单位联系方式（选填）</span>
          <input maxLength={40} value={contact} onChange={(e) => setContact(e.target.value)} />
        </label>
        <div className="f-field">
          <span>工作地（县）：{place ? <b data-testid="field-job-place">{place.name}</b> : '未选择'}</span>
          <input
            type="search"
            placeholder="在外地务工：输入县名或拼音查找"
            value={placeQ}
            onChange={(e) => setPlaceQ(e.target.value)}
            data-testid="field-job-place-search"
          />
          {places.length ? (
            <ul className="f-list f-pick">
              {places.map((r) => (
                <li key={r.code}>
                  <button
                    type="button"
                    className="f-row"
                    onClick={() => {
                      setPlace({ code: r.code, name: r.fullName });
                      setPlaceQ('');
                    }}
                  >
                    {r.fullName}
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
        <label className="f-field">
          <span>入职日期</span>
          <input
            type="date"
            value={startedOn}
            max={chinaToday()}
            onChange={(e) => setStartedOn(e.target.value)}
            data-testid="field-job-started"
          />
        </label>
        <label className="f-field">
          <span>月工资（元）</span>
          <input inputMode="numeric" value={wage} onChange={(e) => setWage(e.target.value)} data-testid="field-job-wage" />
        </label>
        <label className="f-check">
          <input type="checkbox" checked={insured} onChange={(e) => setInsured(e.target.checked)} />
          <span>已参加社会保险</span>
        </label>
        {error ? (
          <p className="f-error" data-testid="field-job-error">
            {error}
          </p>
        ) : null}
        <button type="submit" className="f-primary f-block" disabled={!online || busy} data-testid="field-job-save">
          {busy ? '正在登记…' : '登记就业'}
        </button>
      </form>
    </Sheet>
  );
}

/** 登记离职: the last day and the reason; a return home flags the card and puts it back on the demand list (the server's rule). */
function EndJob({
  card,
  job,
  online,
  onClose,
  onDone,
}: {
  card: Laborer;
  job: Employment;
  online: boolean;
  onClose: () => void;
  onDone: (text: string) => void;
}) {
  const [endedOn, setEndedOn] = useState(chinaToday());
  const [reason, setReason] = useState('resigned');
  const [note, setNote] = useState('');
  const [returnee, setReturnee] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (endedOn < job.startedOn) return setError(`离职日期不能早于入职日期 ${job.startedOn}`);
    setBusy(true);
    try {
      await workApi.endJob(job.id, {
        endedOn,
        reason: reason as 'resigned',
        ...(note.trim() ? { note: note.trim() } : {}),
        returnee,
      });
      onDone(`已登记${card.name}离职`);
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };
  return (
    <Sheet title={`登记离职 · ${card.name}`} onClose={onClose} testId="field-job-end-form">
      <NeedsNetwork online={online} what="登记离职" />
      <form onSubmit={submit} className="f-card">
        <p className="f-note">
          {employerOf(job)} · {job.startedOn} 入职
        </p>
        <label className="f-field">
          <span>离职日期（最后工作日）</span>
          <input
            type="date"
            value={endedOn}
            min={job.startedOn}
            max={chinaToday()}
            onChange={(e) => setEndedOn(e.target.value)}
            data-testid="field-job-ended"
          />
        </label>
        <Select label="离职原因" dict={REASONS} value={reason} onChange={setReason} testId="field-job-end-reason" />
        <label className="f-field">
          <span>说明（选填）</span>
          <textarea rows={2} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
        </label>
        <label className="f-check">
          <input type="checkbox" checked={returnee} onChange={(e) => setReturnee(e.target.checked)} />
          <span>已返乡（标记返乡，重新列入求职需求清单）</span>
        </label>
        {error ? <p className="f-error">{error}</p> : null}
        <button type="submit" className="f-primary f-block" disabled={!online || busy} data-testid="field-job-end-save">
          {busy ? '正在登记…' : '登记离职'}
        </button>
      </form>
    </Sheet>
  );
}
