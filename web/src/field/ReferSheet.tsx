import { type FormEvent, useEffect, useState } from 'react';
import { conditionFailure, type Posting, workApi } from './workApi.ts';
import { NeedsNetwork, Sheet } from './ui.tsx';

/**
 * 推荐到岗位 on the phone: pick an open posting, add a note, send. The rules are the referral
 * service's (POST /referrals): one referral in progress per person and posting, and a pair that
 * fails a hard condition of the matching is refused until a reason is given, which is kept on the
 * referral and shown to staff — as on the console's 我的村 and matching pages. Online only.
 */
export default function ReferSheet({
  laborer,
  channel,
  online,
  onClose,
  onDone,
}: {
  laborer: { id: string; name: string; village: string };
  /** A broker's referrals are credited to them ('broker'); staff's are 'staff'. */
  channel: 'broker' | 'staff';
  online: boolean;
  onClose: () => void;
  onDone: (text: string) => void;
}) {
  const [q, setQ] = useState('');
  const [postings, setPostings] = useState<Posting[] | null>(null);
  const [picked, setPicked] = useState<Posting | null>(null);
  const [note, setNote] = useState('');
  const [failed, setFailed] = useState<{ label: string; detail: string } | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!online) return;
    const timer = setTimeout(() => {
      workApi.openPostings(q).then(
        (r) => setPostings(r.items),
        (e: Error) => setError(e.message),
      );
    }, 250);
    return () => clearTimeout(timer);
  }, [q, online]);

  const pick = (p: Posting) => {
    setPicked(p);
    setFailed(null);
    setReason('');
    setError(null);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!picked) return setError('请选择岗位');
    if (failed && [...reason.trim()].length < 4) return setError('请填写仍要推荐的理由（至少 4 个字）');
    setBusy(true);
    setError(null);
    try {
      await workApi.refer({
        laborerId: laborer.id,
        postingId: picked.id,
        channel,
        ...(note.trim() ? { note: note.trim() } : {}),
        ...(failed ? { overrideReason: reason.trim() } : {}),
      });
      onDone(`已推荐${laborer.name}到“${picked.title}”`);
    } catch (err) {
      const refusal = conditionFailure(err);
      if (refusal) setFailed(refusal);
      else setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Sheet title={`推荐 ${laborer.name}（${laborer.village}）`} onClose={onClose} testId="field-refer">
      <NeedsNetwork online={online} what="推荐" />
      <form onSubmit={submit} className="f-card">
        <input
          className="f-search"
          type="search"
          placeholder="按岗位名称查找在招岗位"
          value={q}
          onChange={(e) => setQ(e.target.value)}
          data-testid="field-refer-search"
        />
        {postings && !postings.length ? <p className="f-note">没有符合的在招岗位</p> : null}
        <ul className="f-list f-pick">
          {(postings ?? []).map((p) => (
            <li key={p.id}>
              <button
                type="button"
                className={`f-row${picked?.id === p.id ? ' f-picked' : ''}`}
                onClick={() => pick(p)}
                aria-pressed={picked?.id === p.id}
                data-testid="field-refer-posting"
              >
                <span className="f-name">{p.title}</span>
                <small>
                  {p.employer.name} · {p.workRegion.name} · {p.wageMin}–{p.wageMax} 元 · 还缺 {p.openings} 人
                </small>
              </button>
            </li>
          ))}
        </ul>
        {failed ? (
          <div className="f-warn" data-testid="field-refer-condition">
            <p>
              不符合岗位硬性条件：<b>{failed.label}</b>
            </p>
            <p className="f-note">{failed.detail}。如确需推荐，请写明理由，理由随推荐记录保存并向工作人员显示。</p>
            <label className="f-field">
              <span>仍要推荐的理由（至少 4 个字）</span>
              <textarea
                rows={2}
                maxLength={200}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                data-testid="field-refer-reason"
              />
            </label>
          </div>
        ) : null}
        <label className="f-field">
          <span>推荐说明（选填）</span>
          <textarea rows={2} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
        </label>
        {error ? (
          <p className="f-error" data-testid="field-refer-error">
            {error}
          </p>
        ) : null}
        <button type="submit" className="f-primary f-block" disabled={!online || busy || !picked} data-testid="field-refer-submit">
          {busy ? '正在推荐…' : failed ? '仍然推荐' : picked ? `推荐到“${picked.title}”` : '请先选择岗位'}
        </button>
      </form>
    </Sheet>
  );
}
