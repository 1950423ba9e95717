import { useEffect, useState } from 'react';
import { PIPELINE_STATUS, REFERRAL_STATUS } from '../../../contracts/referrals.ts';
import type { Me, Workbench } from './api.ts';
import BrokerFollowUps from './BrokerFollowUps.tsx';
import { EMPLOYMENT_STATUS, label, WILLINGNESS } from './labels.ts';
import ReferSheet from './ReferSheet.tsx';
import { NeedsNetwork, Section, Sheet, when } from './ui.tsx';
import { type BrokerLaborer, type MyLaborers, type Referral, type ReferralDetail, workApi } from './workApi.ts';

/**
 * 劳务经纪人 on the phone (issue 19 item 1; docs: a broker's scope is the villages of their
 * contracts valid today, and their own referrals): the to-dos, the job seekers of those villages
 * (masked, as on the console's 我的村), a seeker's card, 推荐 to an open posting, and the broker's
 * own referrals with how each ended, and the follow-ups of their hires (BrokerFollowUps.tsx). All of it is read from the server as it is asked for: nothing
 * of it is kept on the phone, so without a connection the page says what waits for one.
 */
const STATUS: Record<string, string> = REFERRAL_STATUS.labels;
const STEP: Record<string, string> = PIPELINE_STATUS.labels;
const ENDED = new Set(['hired', 'not_hired', 'withdrawn', 'dismissed', 'superseded']);

export default function BrokerWork({
  me,
  online,
  workbench,
  show,
  onSignOut,
  onRecorded,
}: {
  me: Me;
  online: boolean;
  workbench: Workbench | null;
  show: (text: string, kind?: 'ok' | 'error') => void;
  onSignOut: () => void;
  /** Something the workbench counts changed (a follow-up recorded): its to-dos are read again. */
  onRecorded?: () => void;
}) {
  const [tab, setTab] = useState<'seekers' | 'referrals' | 'followUps'>('seekers');
  const [name, setName] = useState('');
  const [village, setVillage] = useState('');
  const [found, setFound] = useState<MyLaborers | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [opened, setOpened] = useState<BrokerLaborer | null>(null);
  const [referring, setReferring] = useState<BrokerLaborer | null>(null);
  const [referrals, setReferrals] = useState<{ items: Referral[]; total: number } | null>(null);
  const [detail, setDetail] = useState<ReferralDetail | null>(null);
  /** Bumped after a referral: the lists read again. */
  const [changes, setChanges] = useState(0);

  useEffect(() => {
    if (!online) return;
    const timer = setTimeout(() => {
      workApi.myLaborers({ name: name.trim() || undefined, village: village || undefined }).then(
        (r) => {
          setFound(r);
          setError(null);
        },
        (e: Error) => setError(e.message),
      );
    }, 250);
    return () => clearTimeout(timer);
  }, [name, village, online]);

  useEffect(() => {
    if (!online || tab !== 'referrals') return;
    workApi.referrals().then(setReferrals, (e: Error) => setError(e.message));
  }, [tab, online, changes]);

  const open = (id: string) => workApi.referral(id).then(setDetail, (e: Error) => show(e.message, 'error'));

  return (
    <>
      <Section title="待办" testId="field-todos">
        <ul className="f-todos">
          {(workbench?.todos ?? []).map((t) => (
            <li key={t.key}>
              <span>{t.label}</span>
              <b>{t.count}</b>
            </li>
          ))}
          {(workbench?.figures ?? []).map((f) => (
            <li key={f.key}>
              <span>{f.label}</span>
              <b>{f.value}</b>
            </li>
          ))}
        </ul>
        {workbench ? <p className="f-note">工作台数据截至 {workbench.asOf}</p> : <p className="f-note">联网后显示工作台待办</p>}
      </Section>

      <NeedsNetwork online={online} what="查找求职人员、推荐、查看推荐结果和记录回访" />

      <div className="f-tabs" role="tablist">
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'seekers'}
          className={tab === 'seekers' ? 'f-chosen' : ''}
          onClick={() => setTab('seekers')}
          data-testid="field-tab-seekers"
        >
          求职人员
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'referrals'}
          className={tab === 'referrals' ? 'f-chosen' : ''}
          onClick={() => setTab('referrals')}
          data-testid="field-tab-referrals"
        >
          我的推荐
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'followUps'}
          className={tab === 'followUps' ? 'f-chosen' : ''}
          onClick={() => setTab('followUps')}
          data-testid="field-tab-follow-ups"
        >
          待回访
        </button>
      </div>
      {error ? <p className="f-error f-pad">{error}</p> : null}

      {tab === 'followUps' ? (
        <BrokerFollowUps online={online} show={show} onRecorded={onRecorded} />
      ) : tab === 'seekers' ? (
        <Section title="协议村求职人员" testId="field-seekers">
          <p className="f-note" data-testid="field-broker-villages">
            协议村：
            {found
              ? found.villages.length
                ? found.villages.map((v) => `${v.name}（至${v.validTo}）`).join('、')
                : '暂无有效协议，请联系乡镇劳动保障服务站'
              : '—'}
          </p>
          <input
            className="f-search"
            type="search"
            placeholder="按姓名或拼音查找"
            value={name}
            onChange={(e) => setName(e.target.value)}
            data-testid="field-search"
          />
          {found && found.villages.length > 1 ? (
            <label className="f-field">
              <span>村</span>
              <select value={village} onChange={(e) => setVillage(e.target.value)}>
                <option value="">全部协议村</option>
                {found.villages.map((v) => (
                  <option key={v.code} value={v.code}>
                    {v.name}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          <ul className="f-list">
            {(found?.items ?? []).map((l) => (
              <li key={l.id}>
                <button type="button" className="f-row" onClick={() => setOpened(l)} data-testid="field-card-row">
                  <span className="f-name">{l.name}</span>
                  <small>
                    {l.villageName} · {l.idNumberMasked} · {label(WILLINGNESS, l.willingness)}
                  </small>
                </button>
              </li>
            ))}
          </ul>
          {found && found.total > found.items.length ? (
            <p className="f-note">
              共 {found.total} 人，仅显示前 {found.items.length} 人，请输入姓名查找
            </p>
          ) : null}
          {found && !found.items.length ? <p className="f-note">没有找到求职人员</p> : null}
        </Section>
      ) : (
        <Section title={`我的推荐${referrals ? ` · ${referrals.total} 条` : ''}`} testId="field-referrals">
          {referrals && !referrals.items.length ? <p className="f-note">还没有推荐记录</p> : null}
          <ul className="f-list">
            {(referrals?.items ?? []).map((r) => (
              <li key={r.id}>
                <button type="button" className="f-row" onClick={() => open(r.id)} data-testid="field-referral-row">
                  <span className="f-name">
                    {r.laborer.name} → {r.posting.title}
                    <em className={`f-status ${ENDED.has(r.status) ? `f-status-${r.status}` : ''}`}>{STATUS[r.status] ?? r.status}</em>
                  </span>
                  <small>
                    {r.posting.employerName} · 推荐于 {when(r.createdAt)}
                  </small>
                </button>
              </li>
            ))}
          </ul>
        </Section>
      )}

      <div className="f-footer">
        <button type="button" onClick={onSignOut} data-testid="field-signout">
          退出登录
        </button>
        <small>{me.displayName} · 劳务经纪人</small>
      </div>

      {opened ? (
        <SeekerCard
          laborer={opened}
          online={online}
          changes={changes}
          onClose={() => setOpened(null)}
          onRefer={() => setReferring(opened)}
          onOpenReferral={open}
        />
      ) : null}
      {referring ? (
        <ReferSheet
          laborer={{ id: referring.id, name: referring.name, village: referring.villageName }}
          channel="broker"
          online={online}
          onClose={() => setReferring(null)}
          onDone={(text) => {
            setReferring(null);
            setChanges((n) => n + 1);
            show(text);
          }}
        />
      ) : null}
      {detail ? <ReferralSheet referral={detail} onClose={() => setDetail(null)} /> : null}
    </>
  );
}

/** A job seeker as a broker sees them (masked, no reveal) and the broker's referrals of them. */
function SeekerCard({
  laborer: l,
  online,
  changes,
  onClose,
  onRefer,
  onOpenReferral,
}: {
  laborer: BrokerLaborer;
  online: boolean;
  changes: number;
  onClose: () => void;
  onRefer: () => void;
  onOpenReferral: (id: string) => void;
}) {
  const [mine, setMine] = useState<Referral[] | null>(null);
  useEffect(() => {
    if (!online) return;
    workApi.referrals({ laborer: l.id }).then(
      (r) => setMine(r.items),
      () => setMine([]),
    );
  }, [l.id, online, changes]);
  const rows: [string, string][] = [
    ['身份证号', l.idNumberMasked],
    ['手机号', l.phoneMasked ?? '（空）'],
    ['性别 · 年龄', `${l.sex === 'male' ? '男' : '女'} · ${l.age} 岁`],
    ['所在村', l.villageName],
    ['就业意愿', label(WILLINGNESS, l.willingness)],
    ['意向工种', l.wantedJobTypes.length ? l.wantedJobTypes.join('、') : '（空）'],
    ['期望月薪', l.expectedWage != null ? `${l.expectedWage} 元` : '（空）'],
    ['就业状态', label(EMPLOYMENT_STATUS, l.employmentStatus)],
  ];
  return (
    <Sheet title={l.name} onClose={onClose} testId="field-seeker">
      <Section
        title="求职人员信息"
        testId="field-card"
        extra={
          <button type="button" className="f-primary" disabled={!online} onClick={onRefer} data-testid="field-refer-open">
            推荐到岗位
          </button>
        }
      >
        <dl className="f-dl">
          {rows.map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
        <p className="f-note">证件号、手机号已脱敏；如需联系本人，请通过村信息员或乡镇劳动保障服务站</p>
      </Section>
      <Section title="我对此人的推荐" testId="field-seeker-referrals">
        {mine && !mine.length ? <p className="f-note">还没有推荐过此人</p> : null}
        <ul className="f-list">
          {(mine ?? []).map((r) => (
            <li key={r.id}>
              <button type="button" className="f-row" onClick={() => onOpenReferral(r.id)}>
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
    </Sheet>
  );
}

/** One referral and each of its steps: when, by whom — how it ended. */
export function ReferralSheet({ referral: r, onClose }: { referral: ReferralDetail; onClose: () => void }) {
  return (
    <Sheet title={`推荐 · ${r.laborer.name}`} onClose={onClose} testId="field-referral">
      <Section title={r.posting.title}>
        <dl className="f-dl">
          <div>
            <dt>用人单位</dt>
            <dd>{r.posting.employerName}</dd>
          </div>
          <div>
            <dt>月薪</dt>
            <dd>
              {r.posting.wageMin}–{r.posting.wageMax} 元
            </dd>
          </div>
          <div>
            <dt>目前状态</dt>
            <dd data-testid="field-referral-status">{STATUS[r.status] ?? r.status}</dd>
          </div>
          {r.override ? (
            <div>
              <dt>不符合条件</dt>
              <dd>
                {r.override.label}；理由：{r.override.reason}
              </dd>
            </div>
          ) : null}
          {r.employment ? (
            <div>
              <dt>入职</dt>
              <dd>
                {r.employment.startedOn} 起{r.employment.endedOn ? `，${r.employment.endedOn} 离职` : '，在岗'}
              </dd>
            </div>
          ) : null}
        </dl>
      </Section>
      <Section title="经过">
        <ul className="f-outbox">
          {r.steps.map((s, i) => (
            <li key={`${s.status}-${i}`}>
              <span>{STEP[s.status] ?? s.status}</span>
              <small>
                {when(s.at)}
                {s.by ? ` · ${s.by.displayName}` : ''}
                {s.note ? ` · ${s.note}` : ''}
              </small>
            </li>
          ))}
        </ul>
      </Section>
    </Sheet>
  );
}
