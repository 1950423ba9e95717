import { type FormEvent, type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { FieldEditable } from '../../../contracts/field.ts';
import { checkIdNumber } from '../../../contracts/id-number.ts';
import { FieldError, fieldApi, type Me, type Workbench } from './api.ts';
import { openCopy, refusedKey, takeKey, VaultNotice } from './guard.tsx';
import {
  CARING,
  EDUCATION,
  FIELD_LABELS,
  FOLLOW_UP_METHOD,
  HEALTH,
  LABOR_CAPACITY,
  label,
  POVERTY_STATUS,
  shownValue,
  WILLINGNESS,
} from './labels.ts';
import { type FollowUp, type Laborer, newKey, type OutboxItem, type PackageMeta, type SyncEntry, store } from './store.ts';
import BrokerWork from './BrokerWork.tsx';
import CardEditForm, { cardMoreRows } from './CardEditForm.tsx';
import CardWork from './CardWork.tsx';
import { chinaToday, Section, Select, when } from './ui.tsx';

/**
 * 进村入户 (issue 19 items 1–3): the village officer's phone pages at /field. Sign in; take the
 * villages' cards onto the phone; find a person, read and edit the card, create a card, record a
 * due follow-up, confirm the quarter; see the to-dos. Everything captured goes into the outbox
 * (IndexedDB) first and is sent when there is a connection — at once when online, else when the
 * connection returns or on 立即同步 — and what waits, and any conflict to settle, is shown on the
 * first page. With no package taken the pages read the register online. On a card, the jobs
 * (登记就业 / 登记离职) and 推荐 work online (CardWork.tsx). A broker signing in gets their own
 * online pages instead (BrokerWork.tsx).
 */
type View =
  | { page: 'home' }
  | { page: 'card'; id: string }
  | { page: 'edit'; id: string }
  | { page: 'new' }
  | { page: 'followUp'; id: string };

/** Follow-ups shown as to do: overdue, or due within the coming 30 days (the later months wait their turn). */
const dueSoon = (f: FollowUp) => f.dueOn <= new Date(Date.now() + 8 * 3_600_000 + 30 * 86_400_000).toISOString().slice(0, 10);
const maskPhone = (p: string) => `${p.slice(0, 3)}****${p.slice(7)}`;
const maskId = (id: string) => `${id.slice(0, 6)}********${id.slice(14)}`;
const NEW_PREFIX = 'new:';

/** The card as the officer last left it: the server's copy with the edits still waiting applied in order. */
function withWaiting(card: Laborer, outbox: OutboxItem[]): Laborer {
  let shown = card;
  for (const item of outbox) {
    const e = item.entry;
    if (item.state !== 'waiting' || e.kind !== 'update' || e.laborerId !== card.id) continue;
    shown = { ...shown };
    for (const c of e.changes) {
      if (c.field === 'phone') shown.phoneMasked = typeof c.new === 'string' ? maskPhone(c.new) : null;
      else (shown as Record<string, unknown>)[c.field] = c.new;
    }
  }
  return shown;
}

/** A new card still waiting, as the list and the card page show it. */
function draftCard(item: OutboxItem, me: Me): Laborer | null {
  const e = item.entry;
  if (e.kind !== 'create') return null;
  const c = e.card;
  return {
    id: NEW_PREFIX + item.key,
    name: c.name,
    idNumberMasked: maskId(c.idNumber),
    phoneMasked: c.phone ? maskPhone(c.phone) : null,
    sex: Number(c.idNumber[16]) % 2 === 1 ? 'male' : 'female',
    age: 0,
    ethnicity: null,
    homeVillage: { code: c.homeVillageCode, fullName: me.region.name },
    householdCode: null,
    relationToHead: null,
    householdSize: null,
    povertyStatus: c.povertyStatus,
    education: c.education,
    laborCapacity: c.laborCapacity,
    health: c.health,
    skills: c.skills ?? [],
    certificates: [],
    willingness: c.willingness,
    wantedJobTypes: [],
    expectedWage: c.expectedWage ?? null,
    caring: c.caring,
    flags: [],
    employmentStatus: 'unemployed',
    trainingHistory: null,
    remark: c.remark ?? null,
    lastConfirmedAt: null,
    version: 0,
    updatedAt: e.capturedAt,
  };
}

const KIND_LABELS: Record<string, string> = {
  update: '修改信息卡',
  create: '新建信息卡',
  follow_up: '跟踪回访',
  confirm: '季度核实',
  resolve: '冲突处理',
};

export default function FieldApp() {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [online, setOnline] = useState(() => navigator.onLine);
  const [view, setView] = useState<View>({ page: 'home' });
  const [pkg, setPkg] = useState<PackageMeta | null>(null);
  const [cards, setCards] = useState<Laborer[]>([]);
  const [followUps, setFollowUps] = useState<FollowUp[]>([]);
  const [outbox, setOutbox] = useState<OutboxItem[]>([]);
  const [workbench, setWorkbench] = useState<Workbench | null>(null);
  const [toast, setToast] = useState<{ text: string; kind: 'ok' | 'error' } | null>(null);
  const [syncing, setSyncing] = useState(false);
  /** Cards read online (no package taken), by id. */
  const [fetched, setFetched] = useState<Record<string, Laborer>>({});
  const syncRun = useRef<Promise<void> | null>(null);
  /** Cards read online are remembered for the card page and its edits. */
  const remember = useCallback((list: Laborer[]) => setFetched((f) => ({ ...f, ...Object.fromEntries(list.map((c) => [c.id, c])) })), []);
  const rememberOne = useCallback((card: Laborer) => remember([card]), [remember]);

  const show = useCallback((text: string, kind: 'ok' | 'error' = 'ok') => setToast({ text, kind }), []);
  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => setToast(null), 3500);
    return () => clearTimeout(timer);
  }, [toast]);

  const reload = useCallback(async () => {
    const [meta, localCards, localFollowUps, items] = await Promise.all([
      store.get('meta', 'package'),
      store.all('cards'),
      store.all('followUps'),
      store.all('outbox'),
    ]);
    setPkg((meta as PackageMeta | undefined) ?? null);
    setCards(localCards.sort((a, b) => a.name.localeCompare(b.name, 'zh-CN')));
    setFollowUps(localFollowUps);
    setOutbox(items.sort((a, b) => a.seq - b.seq));
    const cached = await store.get('meta', 'workbench');
    if (cached) setWorkbench(cached.workbench as Workbench);
  }, []);

  /** The workbench's to-dos (GET /workbench), kept for when there is no connection. */
  const refreshWorkbench = useCallback(() => {
    fieldApi
      .workbench()
      .then(async (w) => {
        setWorkbench(w);
        await store.put('meta', { name: 'workbench', workbench: w });
      })
      .catch(() => undefined);
  }, []);

  /** Sends the waiting entries (one run at a time) and files each answer. */
  const syncNow = useCallback((): Promise<void> => {
    if (syncRun.current) return syncRun.current;
    const run = (async () => {
      const waiting = (await store.all('outbox')).filter((i) => i.state === 'waiting').sort((a, b) => a.seq - b.seq);
      if (!waiting.length) return;
      setSyncing(true);
      try {
        const answer = await fieldApi.sync(waiting.map((i) => i.entry));
        const byKey = new Map(waiting.map((i) => [i.key, i]));
        let conflicts = 0;
        for (const r of answer.results) {
          const item = byKey.get(r.key);
          if (!item) continue;
          if (r.status === 'applied') {
            await store.remove('outbox', r.key);
            if (item.entry.kind === 'follow_up') await store.remove('followUps', item.entry.followUpId);
          } else {
            if (r.status === 'conflict') conflicts++;
            await store.put('outbox', { ...item, state: r.status, result: r });
          }
        }
        // The phone's copy takes the cards as they stand now (only where a copy was taken).
        const meta = (await store.get('meta', 'package')) as PackageMeta | undefined;
        if (meta) {
          await store.putMany('cards', answer.cards);
          await store.put('meta', { ...meta, cards: (await store.all('cards')).length });
        }
        remember(answer.cards);
        show(conflicts ? `已同步，${conflicts} 条有冲突需要处理` : '已同步', conflicts ? 'error' : 'ok');
        refreshWorkbench();
      } catch (e) {
        if ((e instanceof FieldError && e.status === 401) || (await refusedKey(e))) setMe(null);
        else show(e instanceof FieldError && e.offline ? '没有网络，记录已保存在手机上，有网络时再同步' : (e as Error).message, 'error');
      } finally {
        setSyncing(false);
        await reload();
      }
    })();
    syncRun.current = run.finally(() => {
      syncRun.current = null;
    });
    return syncRun.current;
  }, [reload, show, remember, refreshWorkbench]);

  useEffect(() => {
    const up = () => {
      setOnline(true);
      syncNow();
    };
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, [syncNow]);

  // Start: who is signed in — from the server, or, with no connection, as the phone last knew.
  useEffect(() => {
    (async () => {
      // The copy opens only with the device key: none (signed out) or lapsed (days without a sync) → sign in.
      if (!(await openCopy())) return setMe(null);
      await reload();
      try {
        const user = await fieldApi.me();
        await store.put('meta', { name: 'me', me: user });
        setMe(user);
        syncNow();
        refreshWorkbench();
      } catch (e) {
        const known = await store.get('meta', 'me');
        if (e instanceof FieldError && e.offline && known) setMe(known.me as Me);
        else setMe(null);
      }
    })();
  }, [reload, syncNow, refreshWorkbench]);

  const enqueue = useCallback(
    async (entry: SyncEntry, text: string) => {
      await store.put('outbox', { key: entry.key, seq: Date.now(), entry, label: text, state: 'waiting' });
      await reload();
      show(navigator.onLine ? '已保存，正在同步' : '已保存在手机上，有网络时同步');
      if (navigator.onLine) syncNow();
    },
    [reload, show, syncNow],
  );

  const cardOf = useCallback(
    (id: string): Laborer | undefined => {
      if (id.startsWith(NEW_PREFIX) && me) {
        const item = outbox.find((i) => NEW_PREFIX + i.key === id);
        return item ? (draftCard(item, me) ?? undefined) : undefined;
      }
      const base = cards.find((c) => c.id === id) ?? fetched[id];
      return base ? withWaiting(base, outbox) : undefined;
    },
    [cards, fetched, outbox, me],
  );
  const baseOf = (id: string) => cards.find((c) => c.id === id) ?? fetched[id];
  /** A job registered or ended changes the card on the server (已就业 / 未就业): the phone's copy takes it. */
  const refreshCard = useCallback(
    async (id: string) => {
      const fresh = await fieldApi.card(id).catch(() => null);
      if (!fresh) return;
      if (await store.get('cards', id)) await store.put('cards', fresh);
      rememberOne(fresh);
      await reload();
    },
    [rememberOne, reload],
  );

  if (me === undefined) return <div className="f-boot">正在打开…</div>;
  if (me === null)
    return (
      <SignIn
        onSignedIn={async (user) => {
          await reload();
          setMe(user);
          refreshWorkbench();
          syncNow();
        }}
      />
    );

  const waiting = outbox.filter((i) => i.state === 'waiting');
  const header = (
    <header className="f-header">
      <div>
        <div className="f-title">进村入户</div>
        <div className="f-subtitle">
          {me.displayName} · {me.region.name}
        </div>
      </div>
      <span className={`f-net ${online ? 'f-net-on' : 'f-net-off'}`} data-testid="field-network">
        {online ? '在线' : '离线'}
      </span>
    </header>
  );

  let body: ReactNode;
  if (me.role === 'broker') {
    // The broker's work is online: their villages' seekers and their own referrals (BrokerWork.tsx).
    body = (
      <BrokerWork
        me={me}
        online={online}
        workbench={workbench}
        show={show}
        onRecorded={refreshWorkbench}
        onSignOut={async () => {
          await fieldApi.signOut();
          await store.clearAll();
          setMe(null);
        }}
      />
    );
  } else if (view.page === 'card') {
    const card = cardOf(view.id);
    body = (
      <>
        <CardPage
          id={view.id}
          card={card}
          pkg={pkg}
          outbox={outbox}
          followUps={followUps}
          onBack={() => setView({ page: 'home' })}
          onEdit={() => setView({ page: 'edit', id: view.id })}
          onFollowUp={(id) => setView({ page: 'followUp', id })}
          onFetched={rememberOne}
          onConfirm={async () => {
            if (!card) return;
            await enqueue(
              { key: newKey(), kind: 'confirm', laborerId: card.id, capturedAt: new Date().toISOString() },
              `${card.name} · 季度核实`,
            );
          }}
        />
        {card && !view.id.startsWith(NEW_PREFIX) ? (
          <CardWork card={card} online={online} show={show} onChanged={() => refreshCard(card.id)} />
        ) : null}
      </>
    );
  } else if (view.page === 'edit') {
    const card = cardOf(view.id);
    const base = baseOf(view.id);
    body =
      card && base ? (
        <CardEditForm
          card={card}
          onCancel={() => setView({ page: 'card', id: view.id })}
          onSave={async (changes) => {
            await enqueue(
              {
                key: newKey(),
                kind: 'update',
                laborerId: base.id,
                baseVersion: base.version,
                capturedAt: new Date().toISOString(),
                changes,
              },
              `${card.name} · ${changes.map((c) => FIELD_LABELS[c.field]).join('、')}`,
            );
            setView({ page: 'card', id: view.id });
          }}
        />
      ) : (
        <p className="f-empty">找不到这张信息卡</p>
      );
  } else if (view.page === 'new') {
    body = (
      <NewCardPage
        me={me}
        onCancel={() => setView({ page: 'home' })}
        onSave={async (card) => {
          const key = newKey();
          await enqueue({ key, kind: 'create', capturedAt: new Date().toISOString(), card }, `${card.name} · 新建信息卡`);
          setView({ page: 'card', id: NEW_PREFIX + key });
        }}
      />
    );
  } else if (view.page === 'followUp') {
    const followUp = followUps.find((f) => f.id === view.id) ?? null;
    body = (
      <FollowUpPage
        followUp={followUp}
        onCancel={() => setView({ page: 'home' })}
        onSave={async (record) => {
          if (!followUp) return;
          await enqueue(
            { key: newKey(), kind: 'follow_up', followUpId: followUp.id, capturedAt: new Date().toISOString(), record },
            `${followUp.laborer.name} · 第 ${followUp.months} 个月回访`,
          );
          setView({ page: 'card', id: followUp.laborer.id });
        }}
      />
    );
  } else {
    body = (
      <Home
        me={me}
        online={online}
        pkg={pkg}
        cards={cards}
        outbox={outbox}
        followUps={followUps}
        workbench={workbench}
        syncing={syncing}
        cardOf={cardOf}
        onOpen={(id) => setView({ page: 'card', id })}
        onNew={() => setView({ page: 'new' })}
        onSync={syncNow}
        onFetched={remember}
        onTake={async () => {
          try {
            const p = await fieldApi.takePackage();
            await store.replacePackage(p.cards, p.followUps, {
              name: 'package',
              takenAt: p.takenAt,
              regionCode: p.regionCode,
              quarter: p.quarter,
              cards: p.cards.length,
            });
            await reload();
            show(`已下载 ${p.cards.length} 张信息卡、${p.followUps.length} 条待回访，可离线使用`);
          } catch (e) {
            if (await refusedKey(e)) return setMe(null);
            show((e as Error).message, 'error');
          }
        }}
        onResolve={async (item, choices) => {
          const r = item.result;
          if (!r?.conflicts || item.entry.kind === 'create' || !('laborerId' in item.entry)) return;
          const laborerId = item.entry.laborerId;
          const resolve: SyncEntry = {
            key: newKey(),
            kind: 'resolve',
            resolves: item.key,
            laborerId,
            baseVersion: r.conflicts[0]!.version,
            capturedAt: new Date().toISOString(),
            choices: r.conflicts.map((c) => {
              const mine = item.entry.kind === 'update' ? item.entry.changes.find((x) => x.field === c.field) : undefined;
              const kept = item.entry.kind === 'resolve' ? item.entry.choices.find((x) => x.field === c.field) : undefined;
              return {
                field: c.field as FieldEditable,
                choice: choices[c.field] ?? 'mine',
                value: mine ? mine.new : kept ? kept.value : c.mine,
              };
            }),
          };
          await store.remove('outbox', item.key);
          await enqueue(resolve, `${item.label.split(' · ')[0]} · 冲突处理`);
        }}
        onDismiss={async (item) => {
          await store.remove('outbox', item.key);
          await reload();
        }}
        onSignOut={async () => {
          await fieldApi.signOut();
          await store.clearAll();
          setMe(null);
        }}
        waitingCount={waiting.length}
      />
    );
  }

  return (
    <div className="f-page">
      {header}
      {body}
      {toast ? (
        <div className={`f-toast f-toast-${toast.kind}`} role="status" data-testid="field-toast">
          {toast.text}
        </div>
      ) : null}
    </div>
  );
}

function SignIn({ onSignedIn }: { onSignedIn: (me: Me) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const { user } = await fieldApi.login(username.trim(), password);
      if (user.role !== 'village_officer' && user.role !== 'broker') {
        await fieldApi.logout().catch(() => undefined);
        setError('进村入户手机端供村信息员和劳务经纪人使用，请在电脑上打开工作台');
        setBusy(false);
        return;
      }
      await takeKey(user);
      await store.put('meta', { name: 'me', me: user });
      onSignedIn(user);
    } catch (err) {
      await refusedKey(err); // a disabled account: the copy closes (the outbox stays)
      setError((err as Error).message);
      setBusy(false);
    }
  };
  return (
    <div className="f-page">
      <header className="f-header">
        <div>
          <div className="f-title">进村入户</div>
          <div className="f-subtitle">村信息员入户采集 · 劳务经纪人推荐岗位</div>
        </div>
      </header>
      <VaultNotice />
      <Section title="登录">
        <form onSubmit={submit}>
          <label className="f-field">
            <span>用户名</span>
            <input autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} data-testid="field-username" />
          </label>
          <label className="f-field">
            <span>密码</span>
            <input
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              data-testid="field-password"
            />
          </label>
          {error ? <p className="f-error">{error}</p> : null}
          <button type="submit" className="f-primary f-block" disabled={busy || !username || !password} data-testid="field-login">
            {busy ? '正在登录…' : '登录'}
          </button>
        </form>
      </Section>
    </div>
  );
}

function Home(props: {
  me: Me;
  online: boolean;
  pkg: PackageMeta | null;
  cards: Laborer[];
  outbox: OutboxItem[];
  followUps: FollowUp[];
  workbench: Workbench | null;
  syncing: boolean;
  waitingCount: number;
  cardOf: (id: string) => Laborer | undefined;
  onOpen: (id: string) => void;
  onNew: () => void;
  onSync: () => void;
  onTake: () => void;
  onFetched: (cards: Laborer[]) => void;
  onResolve: (item: OutboxItem, choices: Record<string, 'mine' | 'theirs'>) => void;
  onDismiss: (item: OutboxItem) => void;
  onSignOut: () => void;
}) {
  const { me, online, pkg, cards, outbox, followUps, workbench } = props;
  const [q, setQ] = useState('');
  const [found, setFound] = useState<Laborer[] | null>(null);
  const [taking, setTaking] = useState(false);
  const quarterStart = pkg ? pkg.quarter.start : null;
  const recorded = new Set(outbox.flatMap((i) => (i.entry.kind === 'follow_up' ? [i.entry.followUpId] : [])));
  const confirming = new Set(outbox.flatMap((i) => (i.entry.kind === 'confirm' ? [i.entry.laborerId] : [])));
  const due = followUps.filter((f) => !recorded.has(f.id) && dueSoon(f));
  const drafts = outbox.flatMap((i) => {
    const d = draftCard(i, me);
    return d && i.state === 'waiting' ? [d] : [];
  });
  const toConfirm = pkg
    ? cards.filter((c) => !confirming.has(c.id) && !(c.lastConfirmedAt && quarterStart && c.lastConfirmedAt >= quarterStart)).length
    : null;

  // Without a package the register is searched online.
  const onFetched = props.onFetched;
  useEffect(() => {
    if (pkg || !online) {
      setFound(null);
      return;
    }
    const timer = setTimeout(() => {
      fieldApi
        .search(q.trim())
        .then((r) => {
          setFound(r.items);
          onFetched(r.items);
        })
        .catch(() => setFound([]));
    }, 250);
    return () => clearTimeout(timer);
  }, [q, pkg, online, onFetched]);

  const list = useMemo(() => {
    const text = q.trim();
    const source = pkg ? [...drafts, ...cards.map((c) => props.cardOf(c.id) ?? c)] : [...drafts, ...(found ?? [])];
    return text ? source.filter((c) => c.name.includes(text) || c.idNumberMasked.endsWith(text)) : source;
  }, [q, pkg, cards, found, drafts, props]);

  const conflicts = outbox.filter((i) => i.state === 'conflict');
  const answered = outbox.filter((i) => i.state !== 'waiting' && i.state !== 'conflict');

  return (
    <>
      <Section title="待办" testId="field-todos">
        <ul className="f-todos">
          {toConfirm !== null ? (
            <li>
              <span>本季度待核实（手机上）</span>
              <b>{toConfirm}</b>
            </li>
          ) : null}
          {pkg ? (
            <li>
              <span>30 天内待回访（手机上）</span>
              <b>{due.length}</b>
            </li>
          ) : null}
          {workbench
            ? workbench.todos.map((t) => (
                <li key={t.key}>
                  <span>{t.label}</span>
                  <b>{t.count}</b>
                </li>
              ))
            : null}
        </ul>
        {workbench ? <p className="f-note">工作台数据截至 {workbench.asOf}</p> : <p className="f-note">联网后显示工作台待办</p>}
      </Section>

      <Section
        title={`待同步 ${props.waitingCount} 条`}
        testId="field-outbox"
        extra={
          <button
            type="button"
            className="f-primary"
            onClick={props.onSync}
            disabled={!online || props.syncing || props.waitingCount === 0}
            data-testid="field-sync"
          >
            {props.syncing ? '同步中…' : '立即同步'}
          </button>
        }
      >
        {outbox.filter((i) => i.state === 'waiting').length === 0 ? (
          <p className="f-note">没有等待同步的记录</p>
        ) : (
          <ul className="f-outbox">
            {outbox
              .filter((i) => i.state === 'waiting')
              .map((i) => (
                <li key={i.key} data-testid="field-outbox-item">
                  <span>{i.label}</span>
                  <small>
                    {KIND_LABELS[i.entry.kind]} · {when(i.entry.capturedAt)}
                  </small>
                </li>
              ))}
          </ul>
        )}
        {!online && props.waitingCount ? <p className="f-note">离线中：记录已保存在手机上，关闭浏览器也不会丢失</p> : null}
      </Section>

      {conflicts.map((item) => (
        <Conflict key={item.key} item={item} onResolve={props.onResolve} />
      ))}
      {answered.map((item) => (
        <Section key={item.key} title={item.state === 'refused' ? '未能同步' : '已有此人的信息卡'} testId={`field-answer-${item.state}`}>
          <p>{item.label}</p>
          <p className="f-error">{item.result?.message}</p>
          <div className="f-actions">
            {item.state === 'duplicate' && item.result?.laborerId ? (
              <button type="button" onClick={() => props.onOpen(item.result!.laborerId!)}>
                打开已有信息卡
              </button>
            ) : null}
            <button type="button" onClick={() => props.onDismiss(item)}>
              知道了
            </button>
          </div>
        </Section>
      ))}

      <Section
        title="离线包"
        testId="field-package"
        extra={
          <button
            type="button"
            className="f-primary"
            disabled={!online || taking}
            data-testid="field-take"
            onClick={async () => {
              setTaking(true);
              await props.onTake();
              setTaking(false);
            }}
          >
            {taking ? '下载中…' : pkg ? '重新下载' : '下载本村信息卡'}
          </button>
        }
      >
        {pkg ? (
          <p data-testid="field-package-status">
            手机上有 {pkg.cards} 张信息卡（证件号、手机号已脱敏），下载于 {when(pkg.takenAt)}
          </p>
        ) : (
          <p className="f-note">进村前请在有网络的地方下载，离线时也能查看、修改和新建信息卡</p>
        )}
      </Section>

      <Section
        title="本村劳动力"
        extra={
          <button type="button" onClick={props.onNew} data-testid="field-new">
            新建信息卡
          </button>
        }
      >
        <input
          className="f-search"
          type="search"
          placeholder="按姓名或证件号后四位查找"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          data-testid="field-search"
        />
        {!pkg && !online ? <p className="f-note">离线且未下载信息卡：请先联网下载</p> : null}
        <ul className="f-list">
          {list.slice(0, 100).map((c) => (
            <li key={c.id}>
              <button type="button" className="f-row" onClick={() => props.onOpen(c.id)} data-testid="field-card-row">
                <span className="f-name">
                  {c.name}
                  {c.id.startsWith(NEW_PREFIX) ? <em className="f-tag">待同步新建</em> : null}
                </span>
                <small>
                  {c.idNumberMasked} · {label(WILLINGNESS, c.willingness)}
                </small>
              </button>
            </li>
          ))}
        </ul>
        {list.length > 100 ? <p className="f-note">仅显示前 100 人，请输入姓名查找</p> : null}
      </Section>

      <div className="f-footer">
        <button
          type="button"
          onClick={props.onSignOut}
          disabled={props.waitingCount > 0 || conflicts.length > 0}
          data-testid="field-signout"
        >
          退出登录
        </button>
        {props.waitingCount > 0 || conflicts.length > 0 ? <small>有待同步或待处理的记录，处理后才能退出</small> : null}
      </div>
    </>
  );
}

function Conflict({
  item,
  onResolve,
}: {
  item: OutboxItem;
  onResolve: (item: OutboxItem, choices: Record<string, 'mine' | 'theirs'>) => void;
}) {
  const [choices, setChoices] = useState<Record<string, 'mine' | 'theirs'>>({});
  const conflicts = item.result?.conflicts ?? [];
  const complete = conflicts.every((c) => choices[c.field]);
  return (
    <Section title="同步冲突，请选择" testId="field-conflict">
      <p>{item.label.split(' · ')[0]}：以下字段在您离线期间已被他人修改</p>
      {conflicts.map((c) => (
        <div key={c.field} className="f-conflict" data-testid={`field-conflict-${c.field}`}>
          <div className="f-conflict-field">{FIELD_LABELS[c.field] ?? c.field}</div>
          <div>
            我的：<b>{shownValue(c.field, c.mine)}</b>
          </div>
          <div>
            对方：<b>{shownValue(c.field, c.theirs)}</b>
            <small>
              （{c.by ? c.by.displayName : '系统'}，{when(c.at)}）
            </small>
          </div>
          <div className="f-actions">
            <button
              type="button"
              className={choices[c.field] === 'mine' ? 'f-chosen' : ''}
              onClick={() => setChoices({ ...choices, [c.field]: 'mine' })}
              data-testid="field-keep-mine"
            >
              保留我的
            </button>
            <button
              type="button"
              className={choices[c.field] === 'theirs' ? 'f-chosen' : ''}
              onClick={() => setChoices({ ...choices, [c.field]: 'theirs' })}
              data-testid="field-take-theirs"
            >
              采用对方的
            </button>
          </div>
        </div>
      ))}
      <button
        type="button"
        className="f-primary f-block"
        disabled={!complete}
        onClick={() => onResolve(item, choices)}
        data-testid="field-resolve"
      >
        提交处理
      </button>
    </Section>
  );
}

function CardPage(props: {
  id: string;
  card: Laborer | undefined;
  pkg: PackageMeta | null;
  outbox: OutboxItem[];
  followUps: FollowUp[];
  onBack: () => void;
  onEdit: () => void;
  onConfirm: () => void;
  onFollowUp: (id: string) => void;
  onFetched: (card: Laborer) => void;
}) {
  const { id, card, pkg, outbox } = props;
  const [online, setOnlineDue] = useState<FollowUp[] | null>(null);
  const isDraft = id.startsWith(NEW_PREFIX);
  const onFetched = props.onFetched;
  useEffect(() => {
    // No package: the card and its follow-ups are read online.
    if (pkg || isDraft) return;
    if (!card) fieldApi.card(id).then(onFetched, () => undefined);
    fieldApi.dueFollowUps(id).then(
      (r) => setOnlineDue(r.items),
      () => setOnlineDue([]),
    );
  }, [id, pkg, isDraft, card, onFetched]);
  if (!card) return <p className="f-empty">正在读取信息卡…</p>;
  const waiting = outbox.filter((i) => i.state === 'waiting' && 'laborerId' in i.entry && i.entry.laborerId === id);
  const recorded = new Set(outbox.flatMap((i) => (i.entry.kind === 'follow_up' ? [i.entry.followUpId] : [])));
  const due = (pkg ? props.followUps : (online ?? [])).filter((f) => f.laborer.id === id && !recorded.has(f.id) && dueSoon(f));
  const confirmingNow = waiting.some((i) => i.entry.kind === 'confirm');
  const quarterStart = pkg ? pkg.quarter.start : null;
  const confirmed = Boolean(card.lastConfirmedAt && (!quarterStart || card.lastConfirmedAt >= quarterStart));
  const rows: [string, ReactNode][] = [
    ['身份证号', card.idNumberMasked],
    ['手机号', card.phoneMasked ?? '（空）'],
    ['性别 · 年龄', `${card.sex === 'male' ? '男' : '女'}${card.age ? ` · ${card.age} 岁` : ''}`],
    ['户籍所在村', card.homeVillage.fullName],
    ...cardMoreRows(card, 'household'),
    ['户类型', label(POVERTY_STATUS, card.povertyStatus)],
    ['文化程度', label(EDUCATION, card.education)],
    ['劳动能力', label(LABOR_CAPACITY, card.laborCapacity)],
    ['健康状况', label(HEALTH, card.health)],
    ['就业意愿', label(WILLINGNESS, card.willingness)],
    ['期望月薪', card.expectedWage != null ? `${card.expectedWage} 元` : '（空）'],
    ['技能特长', card.skills.length ? card.skills.join('、') : '（空）'],
    ['照料负担', label(CARING, card.caring)],
    ...cardMoreRows(card, 'work'),
    ['就业状态', shownValue('employmentStatus', card.employmentStatus)],
    ['备注', card.remark ?? '（空）'],
  ];
  return (
    <>
      <div className="f-back">
        <button type="button" onClick={props.onBack} data-testid="field-back">
          ‹ 返回
        </button>
      </div>
      <Section
        title={card.name}
        testId="field-card"
        extra={
          isDraft ? (
            <em className="f-tag">待同步新建</em>
          ) : (
            <button type="button" className="f-primary" onClick={props.onEdit} data-testid="field-edit">
              修改
            </button>
          )
        }
      >
        {waiting.length ? <p className="f-note">有 {waiting.length} 条修改等待同步，下面显示的是修改后的内容</p> : null}
        <dl className="f-dl">
          {rows.map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      </Section>
      {!isDraft ? (
        <Section title="季度核实">
          {confirmingNow ? (
            <p data-testid="field-confirm-state">本季度已核实（待同步）</p>
          ) : confirmed ? (
            <p data-testid="field-confirm-state">本季度已核实</p>
          ) : (
            <button type="button" className="f-primary f-block" onClick={props.onConfirm} data-testid="field-confirm">
              入户核实无误，确认本季度
            </button>
          )}
        </Section>
      ) : null}
      {due.length ? (
        <Section title="待回访">
          <ul className="f-list">
            {due.map((f) => (
              <li key={f.id}>
                <button type="button" className="f-row" onClick={() => props.onFollowUp(f.id)} data-testid="field-follow-up">
                  <span>
                    第 {f.months} 个月回访 · {f.workplace ?? f.workRegionName}
                  </span>
                  <small className={f.overdue ? 'f-error' : ''}>
                    应于 {f.dueOn} 前{f.overdue ? '（已逾期）' : ''}
                  </small>
                </button>
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
    </>
  );
}

type NewCard = Extract<SyncEntry, { kind: 'create' }>['card'];

function NewCardPage({ me, onSave, onCancel }: { me: Me; onSave: (card: NewCard) => void; onCancel: () => void }) {
  const [idNumber, setIdNumber] = useState('');
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [povertyStatus, setPovertyStatus] = useState('registered');
  const [education, setEducation] = useState('70');
  const [laborCapacity, setLaborCapacity] = useState('full');
  const [health, setHealth] = useState('healthy');
  const [willingness, setWillingness] = useState('in_county');
  const [caring, setCaring] = useState('none');
  const [error, setError] = useState<string | null>(null);
  const village = me.region.code.length === 12 ? me.region.code : null;

  const save = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    // The same checks as the server's (contracts/id-number.ts): a wrong number never waits in the outbox.
    const checked = checkIdNumber(idNumber, chinaToday());
    if (!checked.ok) return setError(checked.message);
    if (name.trim().length < 2) return setError('请填写姓名（至少 2 个字）');
    if (phone.trim() && !/^1[3-9]\d{9}$/.test(phone.trim())) return setError('手机号应为 11 位大陆手机号');
    if (!village) return setError('本账号不是村级账号，请在电脑上新建信息卡');
    onSave({
      idNumber: checked.value.idNumber,
      name: name.trim(),
      ...(phone.trim() ? { phone: phone.trim() } : {}),
      homeVillageCode: village,
      povertyStatus,
      education,
      laborCapacity,
      health,
      willingness,
      caring,
    } as NewCard);
  };

  return (
    <Section title="新建信息卡（入户采集）" testId="field-new-form">
      <form onSubmit={save}>
        <label className="f-field">
          <span>身份证号</span>
          <input maxLength={18} value={idNumber} onChange={(e) => setIdNumber(e.target.value)} data-testid="field-new-id" />
        </label>
        <label className="f-field">
          <span>姓名</span>
          <input maxLength={30} value={name} onChange={(e) => setName(e.target.value)} data-testid="field-new-name" />
        </label>
        <label className="f-field">
          <span>手机号（可不填）</span>
          <input type="tel" inputMode="numeric" maxLength={11} value={phone} onChange={(e) => setPhone(e.target.value)} />
        </label>
        <Select label="户类型" dict={POVERTY_STATUS} value={povertyStatus} onChange={setPovertyStatus} />
        <Select label="文化程度" dict={EDUCATION} value={education} onChange={setEducation} />
        <Select label="劳动能力" dict={LABOR_CAPACITY} value={laborCapacity} onChange={setLaborCapacity} />
        <Select label="健康状况" dict={HEALTH} value={health} onChange={setHealth} />
        <Select label="就业意愿" dict={WILLINGNESS} value={willingness} onChange={setWillingness} />
        <Select label="照料负担" dict={CARING} value={caring} onChange={setCaring} />
        <p className="f-note">户籍所在村：{me.region.name}</p>
        {error ? (
          <p className="f-error" data-testid="field-new-error">
            {error}
          </p>
        ) : null}
        <div className="f-actions">
          <button type="button" onClick={onCancel}>
            取消
          </button>
          <button type="submit" className="f-primary" data-testid="field-new-save">
            保存
          </button>
        </div>
      </form>
    </Section>
  );
}

type FollowUpRecord = Extract<SyncEntry, { kind: 'follow_up' }>['record'];

function FollowUpPage({
  followUp,
  onSave,
  onCancel,
}: {
  followUp: FollowUp | null;
  onSave: (record: FollowUpRecord) => void;
  onCancel: () => void;
}) {
  const [doneOn, setDoneOn] = useState(chinaToday());
  const [method, setMethod] = useState('visit');
  const [stillEmployed, setStillEmployed] = useState(true);
  const [problems, setProblems] = useState('');
  const [helpGiven, setHelpGiven] = useState('');
  if (!followUp) return <p className="f-empty">找不到这条回访任务</p>;
  const save = (e: FormEvent) => {
    e.preventDefault();
    onSave({
      doneOn,
      method,
      stillEmployed,
      ...(problems.trim() ? { problems: problems.trim() } : {}),
      ...(helpGiven.trim() ? { helpGiven: helpGiven.trim() } : {}),
    } as FollowUpRecord);
  };
  return (
    <Section title={`回访 · ${followUp.laborer.name}`} testId="field-follow-up-form">
      <p className="f-note">
        第 {followUp.months} 个月回访 · {followUp.workplace ?? followUp.workRegionName} · 应于 {followUp.dueOn} 前
      </p>
      <form onSubmit={save}>
        <label className="f-field">
          <span>回访日期</span>
          <input type="date" value={doneOn} max={chinaToday()} onChange={(e) => setDoneOn(e.target.value)} />
        </label>
        <Select label="回访方式" dict={FOLLOW_UP_METHOD} value={method} onChange={setMethod} />
        <label className="f-check">
          <input type="checkbox" checked={stillEmployed} onChange={(e) => setStillEmployed(e.target.checked)} />
          <span>仍在岗</span>
        </label>
        <label className="f-field">
          <span>反映的问题</span>
          <textarea
            rows={2}
            maxLength={500}
            value={problems}
            onChange={(e) => setProblems(e.target.value)}
            data-testid="field-follow-up-problems"
          />
        </label>
        <label className="f-field">
          <span>提供的帮助</span>
          <textarea rows={2} maxLength={500} value={helpGiven} onChange={(e) => setHelpGiven(e.target.value)} />
        </label>
        <div className="f-actions">
          <button type="button" onClick={onCancel}>
            取消
          </button>
          <button type="submit" className="f-primary" data-testid="field-follow-up-save">
            保存
          </button>
        </div>
      </form>
    </Section>
  );
}
