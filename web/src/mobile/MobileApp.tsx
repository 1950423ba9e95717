import { createContext, useCallback, useContext, useEffect, useState, type FormEvent, type MouseEvent, type ReactNode } from 'react';
import {
  type Application,
  MobileError,
  type MobileMe,
  mobileApi,
  type OnlineFair,
  type PostingBrief,
  type PostingChoice,
  type Recommended,
} from './api.ts';
import { EDUCATION, EMPLOYMENT_STATUS, FAIR_STATE, REFERRAL_STATUS, WILLINGNESS, label } from './labels.ts';

/**
 * The laborer's own page, opened from the link in an SMS or from WeChat: phone-size, outside the
 * console. Sign in with the phone number and the code the SMS brings — in place, so the address
 * (the job of the message, the fair) is where the laborer is when signed in. Then the job from
 * the message first, recommended jobs with reasons, online fairs and their jobs, applications,
 * wishes and the SMS switch.
 *
 * Paths: /m (home), /m/<code> (the SMS's short link: its jobs first), /m/fairs/<id> (an online fair).
 */
type Route = { page: 'home'; code?: string } | { page: 'fair'; fairId: string };

export function routeOf(pathname: string): Route {
  const fair = /^\/m\/fairs\/([1-9][0-9]{0,17})\/?$/.exec(pathname);
  if (fair) return { page: 'fair', fairId: fair[1]! };
  const link = /^\/m\/([0-9a-z]{1,12})\/?$/.exec(pathname);
  return link ? { page: 'home', code: link[1] } : { page: 'home' };
}

const Nav = createContext<(to: string) => void>(() => undefined);
const Toast = createContext<(text: string, kind?: 'ok' | 'error') => void>(() => undefined);

function Link({ to, children, testId }: { to: string; children: ReactNode; testId?: string }) {
  const navigate = useContext(Nav);
  const onClick = (e: MouseEvent) => {
    e.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={onClick} data-testid={testId}>
      {children}
    </a>
  );
}

export default function MobileApp() {
  const [path, setPath] = useState(() => window.location.pathname);
  const [me, setMe] = useState<MobileMe | null | undefined>(undefined);
  const [toast, setToast] = useState<{ text: string; kind: 'ok' | 'error' } | null>(null);

  useEffect(() => {
    const onPop = () => setPath(window.location.pathname);
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const navigate = useCallback((to: string) => {
    window.history.pushState(null, '', to);
    window.scrollTo(0, 0);
    setPath(to);
  }, []);
  const show = useCallback((text: string, kind: 'ok' | 'error' = 'ok') => setToast({ text, kind }), []);
  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => setToast(null), 3000);
    return () => clearTimeout(timer);
  }, [toast]);

  const refresh = useCallback(async () => {
    try {
      setMe(await mobileApi.me());
    } catch {
      // A 401 (no session, or it ended) and a network failure alike: sign in here, at this address.
      setMe(null);
    }
  }, []);
  useEffect(() => {
    refresh();
  }, [refresh]);
  // Any call that finds the session gone brings the sign-in back, at the same address.
  const failed = useCallback(
    (e: unknown) => {
      if (e instanceof MobileError && e.status === 401) setMe(null);
      else show((e as Error).message, 'error');
    },
    [show],
  );

  const route = routeOf(path);
  return (
    <Nav.Provider value={navigate}>
      <Toast.Provider value={show}>
        <div className="m-page">
          <header className="m-header">
            <div className="m-title">湖南劳务协作 · 就业服务</div>
            <div className="m-subtitle">为您推荐身边和省外的好岗位</div>
          </header>
          {me === undefined ? (
            <div className="m-loading">正在加载…</div>
          ) : me === null ? (
            <SignIn route={route} onSignedIn={refresh} />
          ) : route.page === 'fair' ? (
            <FairPage fairId={route.fairId} onFailed={failed} />
          ) : (
            <Home me={me} code={route.code} onChange={refresh} onFailed={failed} onSignedOut={() => setMe(null)} />
          )}
          {toast ? (
            <div className={`m-toast m-toast-${toast.kind}`} role="status" data-testid="mobile-toast">
              {toast.text}
            </div>
          ) : null}
        </div>
      </Toast.Provider>
    </Nav.Provider>
  );
}

function Section({ title, extra, children, testId }: { title: string; extra?: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <section className="m-card" data-testid={testId}>
      <div className="m-card-head">
        <h2>{title}</h2>
        {extra}
      </div>
      {children}
    </section>
  );
}

function SignIn({ route, onSignedIn }: { route: Route; onSignedIn: () => void }) {
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [wait, setWait] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (wait <= 0) return;
    const t = setTimeout(() => setWait(wait - 1), 1000);
    return () => clearTimeout(t);
  }, [wait]);

  const sendCode = async () => {
    setError(null);
    try {
      const r = await mobileApi.requestCode(phone);
      setNotice(r.message);
      setWait(60);
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const login = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await mobileApi.login(phone, code);
      onSignedIn();
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };
  const returning = route.page === 'fair' ? '登录后将打开您要查看的招聘会' : route.code ? '登录后将打开短信中的岗位' : null;

  return (
    <Section title="手机号登录">
      {returning ? (
        <p className="m-note" data-testid="mobile-return-note">
          {returning}
        </p>
      ) : null}
      <form onSubmit={login}>
        <label className="m-field">
          <span>手机号</span>
          <input
            type="tel"
            inputMode="numeric"
            autoComplete="tel"
            maxLength={11}
            placeholder="登记在劳动力信息卡上的手机号"
            value={phone}
            onChange={(e) => setPhone(e.target.value.trim())}
            data-testid="mobile-phone"
          />
        </label>
        <label className="m-field">
          <span>短信验证码</span>
          <span className="m-row">
            <input
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={6}
              placeholder="6 位数字"
              value={code}
              onChange={(e) => setCode(e.target.value.trim())}
              data-testid="mobile-code"
            />
            <button
              type="button"
              className="m-button"
              disabled={wait > 0 || phone.length !== 11}
              onClick={sendCode}
              data-testid="mobile-get-code"
            >
              {wait > 0 ? `${wait} 秒后重发` : '获取验证码'}
            </button>
          </span>
        </label>
        {notice ? <p className="m-alert m-alert-ok">{notice}</p> : null}
        {error ? (
          <p className="m-alert m-alert-error" data-testid="mobile-error">
            {error}
          </p>
        ) : null}
        <button
          type="submit"
          className="m-button m-primary m-block"
          disabled={busy || phone.length !== 11 || code.length !== 6}
          data-testid="mobile-login"
        >
          {busy ? '正在登录…' : '登录'}
        </button>
      </form>
      <p className="m-hint">验证码 5 分钟内有效、只能使用一次；每个号码每分钟可获取 1 次。</p>
    </Section>
  );
}

function Home({
  me,
  code,
  onChange,
  onFailed,
  onSignedOut,
}: {
  me: MobileMe;
  code?: string;
  onChange: () => void;
  onFailed: (e: unknown) => void;
  onSignedOut: () => void;
}) {
  const show = useContext(Toast);
  const [linked, setLinked] = useState<PostingChoice[] | null>(code ? null : []);
  const [recs, setRecs] = useState<{ refused: string | null; items: Recommended[] } | null>(null);
  const [fairs, setFairs] = useState<OnlineFair[] | null>(null);
  const [apps, setApps] = useState<Application[]>([]);

  const load = useCallback(async () => {
    try {
      // The job of the message first: it is why the laborer opened the page.
      if (code) setLinked((await mobileApi.link(code)).items);
      const [r, f, a] = await Promise.all([mobileApi.recommendations(), mobileApi.fairs(), mobileApi.applications()]);
      setRecs(r);
      setFairs(f.items);
      setApps(a.items);
    } catch (e) {
      onFailed(e);
    }
  }, [code, onFailed]);
  useEffect(() => {
    load();
  }, [load]);

  const apply = async (p: PostingBrief) => {
    try {
      await mobileApi.apply(p.id);
      show(`已申请：${p.title}，工作人员会尽快与您联系`);
      load();
    } catch (e) {
      onFailed(e);
    }
  };

  const linkedIds = new Set((linked ?? []).map((l) => l.posting.id));
  return (
    <>
      {code ? (
        <Section title="短信中的岗位" testId="mobile-linked">
          {linked === null ? (
            <p className="m-hint">正在打开短信中的岗位…</p>
          ) : linked.length === 0 ? (
            <p className="m-hint">短信中的岗位已招满或已结束，看看下面为您推荐的岗位吧。</p>
          ) : (
            linked.map((l) => (
              <PostingItem
                key={l.posting.id}
                posting={l.posting}
                applied={l.applied}
                onApply={apply}
                testId={`linked-${l.posting.id}`}
                detailed
              />
            ))
          )}
        </Section>
      ) : null}

      <Section
        title={`${me.name}，您好`}
        testId="mobile-card"
        extra={
          <button
            type="button"
            className="m-link"
            onClick={async () => {
              await mobileApi.logout().catch(() => undefined);
              onSignedOut();
            }}
          >
            退出
          </button>
        }
      >
        <dl className="m-facts">
          <dt>身份证号</dt>
          <dd>{me.idNumberMasked}</dd>
          <dt>手机号</dt>
          <dd>{me.phoneMasked ?? '—'}</dd>
          <dt>户籍</dt>
          <dd>{me.village}</dd>
          <dt>文化程度</dt>
          <dd>{label(EDUCATION, me.education)}</dd>
          <dt>就业状态</dt>
          <dd>{label(EMPLOYMENT_STATUS, me.employmentStatus)}</dd>
        </dl>
      </Section>

      <Section title="为您推荐的岗位" testId="mobile-recommendations">
        <div data-testid="mobile-jobs" data-ready={recs ? 'true' : 'false'}>
          {!recs ? (
            <p className="m-hint">正在为您挑选岗位…</p>
          ) : recs.refused ? (
            <p className="m-alert">{recs.refused}</p>
          ) : recs.items.length === 0 ? (
            <p className="m-hint">暂时没有符合条件的岗位</p>
          ) : (
            recs.items
              .filter((r) => !linkedIds.has(r.posting.id))
              .map((r) => (
                <PostingItem
                  key={r.posting.id}
                  posting={r.posting}
                  applied={r.applied}
                  reasons={r.reasons}
                  onApply={apply}
                  testId={`rec-${r.posting.id}`}
                />
              ))
          )}
        </div>
      </Section>

      <Section title="线上招聘会" testId="mobile-fairs">
        {!fairs ? (
          <p className="m-hint">正在加载…</p>
        ) : fairs.length === 0 ? (
          <p className="m-hint">近期没有您所在地区的线上招聘会</p>
        ) : (
          fairs.map((f) => (
            <div key={f.id} className="m-item">
              <Link to={`/m/fairs/${f.id}`} testId={`fair-${f.id}`}>
                <span className="m-item-title">{f.title}</span>
              </Link>
              <div className="m-meta">
                {dates(f)} · {f.postings} 个岗位 · <span className={`m-tag m-tag-${f.state}`}>{label(FAIR_STATE, f.state)}</span>
                {f.joined ? <span className="m-tag m-tag-open">已参加</span> : null}
              </div>
            </div>
          ))
        )}
      </Section>

      <Section title="我的申请" testId="mobile-applications">
        {apps.length === 0 ? (
          <p className="m-hint">还没有申请</p>
        ) : (
          apps.map((a) => (
            <div key={a.id} className="m-item m-row-between">
              <div>
                <div className="m-item-title">{a.title}</div>
                <div className="m-meta">{a.employerName}</div>
              </div>
              <span className="m-tag">{label(REFERRAL_STATUS, a.status)}</span>
            </div>
          ))
        )}
      </Section>

      <WishesCard me={me} onSaved={onChange} onFailed={onFailed} />

      <Section title="短信通知">
        <label className="m-row-between">
          <span>接收岗位推送短信</span>
          <input
            type="checkbox"
            className="m-switch"
            role="switch"
            aria-checked={!me.smsOptedOut}
            checked={!me.smsOptedOut}
            data-testid="mobile-sms-switch"
            onChange={async (e) => {
              const receive = e.target.checked;
              try {
                await mobileApi.smsPreference(receive);
                show(receive ? '已恢复接收岗位短信' : '已退订，不再向您发送岗位短信');
                onChange();
              } catch (err) {
                onFailed(err);
              }
            }}
          />
        </label>
        <p className="m-hint">也可以回复短信 TD 或“退订”。</p>
      </Section>
    </>
  );
}

const dates = (f: OnlineFair) => (f.heldOn === f.endsOn ? f.heldOn : `${f.heldOn} 至 ${f.endsOn}`);

/** An online fair: its jobs, applied for from here (counted in the fair's results). */
function FairPage({ fairId, onFailed }: { fairId: string; onFailed: (e: unknown) => void }) {
  const show = useContext(Toast);
  const [data, setData] = useState<{ fair: OnlineFair; items: PostingChoice[] } | null>(null);
  const [missing, setMissing] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setData(await mobileApi.fair(fairId));
    } catch (e) {
      if (e instanceof MobileError && e.status === 404) setMissing(e.message);
      else onFailed(e);
    }
  }, [fairId, onFailed]);
  useEffect(() => {
    load();
  }, [load]);

  const apply = async (p: PostingBrief) => {
    try {
      await mobileApi.applyAtFair(fairId, p.id);
      show(`已在招聘会申请：${p.title}，工作人员会尽快与您联系`);
      load();
    } catch (e) {
      onFailed(e);
    }
  };

  return (
    <>
      <nav className="m-back">
        <Link to="/m">‹ 返回首页</Link>
      </nav>
      {missing ? (
        <Section title="招聘会">
          <p className="m-alert">{missing}</p>
        </Section>
      ) : !data ? (
        <p className="m-loading">正在加载…</p>
      ) : (
        <Section title={data.fair.title} testId="mobile-fair">
          <div className="m-meta">
            {dates(data.fair)} · {data.fair.organiserName ?? data.fair.regionName} ·{' '}
            <span className={`m-tag m-tag-${data.fair.state}`}>{label(FAIR_STATE, data.fair.state)}</span>
          </div>
          {data.fair.state === 'upcoming' ? <p className="m-alert">招聘会 {data.fair.heldOn} 开始，开始后即可申请岗位。</p> : null}
          {data.items.length === 0 ? (
            <p className="m-hint">本场招聘会的岗位都已招满</p>
          ) : (
            data.items.map((i) => (
              <PostingItem
                key={i.posting.id}
                posting={i.posting}
                applied={i.applied}
                onApply={apply}
                disabled={data.fair.state !== 'open'}
                testId={`fair-posting-${i.posting.id}`}
              />
            ))
          )}
        </Section>
      )}
    </>
  );
}

const wage = (p: PostingBrief) => (p.wageMin === p.wageMax ? `${p.wageMin}` : `${p.wageMin}–${p.wageMax}`);
const board = (p: PostingBrief) => (p.food && p.housing ? ' · 包食宿' : p.food ? ' · 包吃' : p.housing ? ' · 包住' : '');

function PostingItem({
  posting: p,
  applied,
  reasons,
  onApply,
  testId,
  detailed,
  disabled,
}: {
  posting: PostingBrief;
  applied: boolean;
  reasons?: string[];
  onApply: (p: PostingBrief) => void;
  testId: string;
  detailed?: boolean;
  disabled?: boolean;
}) {
  const [busy, setBusy] = useState(false);
  return (
    <div className="m-item" data-testid={testId}>
      <div className="m-row-between">
        <div>
          <div className="m-item-title">{p.title}</div>
          <div className="m-meta">{p.employerName}</div>
          <div className="m-meta">
            {p.place} · 月薪 <b>{wage(p)}</b> 元{board(p)}
          </div>
          {detailed ? (
            <div className="m-meta">
              {p.occupationLabel} · 还招 {p.openings} 人 · 有效期至 {p.validTo}
              {p.reservedForPoor ? ' · 优先招用脱贫劳动力' : ''}
            </div>
          ) : null}
        </div>
        {applied ? (
          <span className="m-tag m-tag-open">已申请</span>
        ) : (
          <button
            type="button"
            className="m-button m-primary"
            disabled={busy || disabled}
            onClick={async () => {
              setBusy(true);
              await onApply(p);
              setBusy(false);
            }}
            data-testid={`apply-${p.id}`}
          >
            申请
          </button>
        )}
      </div>
      {reasons?.length ? (
        <div className="m-reasons">
          {reasons.map((r) => (
            <span key={r} className="m-tag">
              {r}
            </span>
          ))}
        </div>
      ) : null}
    </div>
  );
}

function WishesCard({ me, onSaved, onFailed }: { me: MobileMe; onSaved: () => void; onFailed: (e: unknown) => void }) {
  const show = useContext(Toast);
  const current = me.pendingWishes?.changes ?? me.wishes;
  const [willingness, setWillingness] = useState(current.willingness);
  const [jobs, setJobs] = useState(current.wantedJobTypes.join('、'));
  const [expected, setExpected] = useState(current.expectedWage === null ? '' : String(current.expectedWage));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const wageValue = expected.trim() === '' ? null : Number(expected);
    if (wageValue !== null && (!Number.isInteger(wageValue) || wageValue < 0 || wageValue > 100000)) {
      show('期望月薪请填 0 到 100000 之间的整数', 'error');
      return;
    }
    try {
      await mobileApi.wishes({
        willingness,
        wantedJobTypes: jobs
          .split(/[、,，;；\s]+/)
          .map((j) => j.trim())
          .filter(Boolean),
        expectedWage: wageValue,
      });
      show('已提交，村信息员核实后生效');
      onSaved();
    } catch (err) {
      onFailed(err);
    }
  };

  return (
    <Section title="我的就业意愿" testId="mobile-wishes">
      {me.pendingWishes ? <p className="m-alert">您提交的修改正在等待村信息员核实</p> : null}
      <form onSubmit={submit}>
        <label className="m-field">
          <span>愿意去哪里工作</span>
          <select value={willingness} onChange={(e) => setWillingness(e.target.value)}>
            {Object.entries(WILLINGNESS).map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </select>
        </label>
        <label className="m-field">
          <span>想做的工作（用顿号分开）</span>
          <input value={jobs} placeholder="如：缝纫工、保洁员" onChange={(e) => setJobs(e.target.value)} />
        </label>
        <label className="m-field">
          <span>期望月薪（元）</span>
          <input inputMode="numeric" value={expected} onChange={(e) => setExpected(e.target.value.replace(/[^0-9]/g, ''))} />
        </label>
        <button type="submit" className="m-button m-block">
          提交修改
        </button>
      </form>
    </Section>
  );
}
