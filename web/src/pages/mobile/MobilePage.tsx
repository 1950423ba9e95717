import { useCallback, useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Divider,
  Empty,
  Flex,
  Form,
  Input,
  InputNumber,
  List,
  Select,
  Space,
  Spin,
  Switch,
  Tag,
  Typography,
} from 'antd';
import { mobileApi, MobileError, type MobileMe, type PostingBrief } from '../../api/mobile.ts';
import { EDUCATION, EMPLOYMENT_STATUS, WILLINGNESS } from '../../../../contracts/laborers.ts';
import { REFERRAL_STATUS } from '../../../../contracts/referrals.ts';

/**
 * The laborer's own page, opened from the link in an SMS: phone-size first, outside the console.
 * Sign in with the phone number and the code the SMS brings; then the own card, the job from the
 * message, recommended jobs with reasons, applications, wishes and the SMS switch.
 */
export default function MobilePage() {
  const { code } = useParams();
  const [me, setMe] = useState<MobileMe | null | undefined>(undefined);

  const refresh = useCallback(async () => {
    try {
      setMe(await mobileApi.me());
    } catch (e) {
      if (e instanceof MobileError && e.status === 401) setMe(null);
      else throw e;
    }
  }, []);
  useEffect(() => {
    refresh().catch(() => setMe(null));
  }, [refresh]);

  return (
    <div className="mobile-page">
      <header className="mobile-header">
        <div className="mobile-title">湖南劳务协作 · 就业服务</div>
        <div className="mobile-subtitle">为您推荐身边和省外的好岗位</div>
      </header>
      {me === undefined ? (
        <Flex justify="center" style={{ padding: 48 }}>
          <Spin />
        </Flex>
      ) : me === null ? (
        <SignIn onSignedIn={refresh} />
      ) : (
        <Home me={me} code={code} onChange={refresh} onSignedOut={() => setMe(null)} />
      )}
    </div>
  );
}

function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
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
  const login = async () => {
    setError(null);
    setBusy(true);
    try {
      await mobileApi.login(phone, code);
      onSignedIn();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card className="mobile-card" title="手机号登录">
      <Form layout="vertical" onFinish={login}>
        <Form.Item label="手机号">
          <Input
            size="large"
            inputMode="numeric"
            maxLength={11}
            placeholder="登记在劳动力信息卡上的手机号"
            value={phone}
            onChange={(e) => setPhone(e.target.value.trim())}
            data-testid="mobile-phone"
          />
        </Form.Item>
        <Form.Item label="短信验证码">
          <Space.Compact style={{ width: '100%' }}>
            <Input
              size="large"
              inputMode="numeric"
              maxLength={6}
              placeholder="6 位数字"
              value={code}
              onChange={(e) => setCode(e.target.value.trim())}
              data-testid="mobile-code"
            />
            <Button size="large" disabled={wait > 0 || phone.length !== 11} onClick={sendCode} data-testid="mobile-get-code">
              {wait > 0 ? `${wait} 秒后重发` : '获取验证码'}
            </Button>
          </Space.Compact>
        </Form.Item>
        {notice ? <Alert type="success" showIcon message={notice} style={{ marginBottom: 12 }} /> : null}
        {error ? <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="mobile-error" /> : null}
        <Button
          type="primary"
          size="large"
          block
          htmlType="submit"
          loading={busy}
          disabled={phone.length !== 11 || code.length !== 6}
          data-testid="mobile-login"
        >
          登录
        </Button>
      </Form>
      <Typography.Paragraph type="secondary" style={{ marginTop: 12, fontSize: 12 }}>
        验证码 5 分钟内有效、只能使用一次；每个号码每分钟可获取 1 次。
      </Typography.Paragraph>
    </Card>
  );
}

type Recommended = { reasons: string[]; posting: PostingBrief; applied: boolean };

function Home({ me, code, onChange, onSignedOut }: { me: MobileMe; code?: string; onChange: () => void; onSignedOut: () => void }) {
  const { message } = App.useApp();
  const [linked, setLinked] = useState<{ posting: PostingBrief; applied: boolean }[]>([]);
  const [recs, setRecs] = useState<{ refused: string | null; items: Recommended[] } | null>(null);
  const [apps, setApps] = useState<Awaited<ReturnType<typeof mobileApi.applications>>['items']>([]);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const [l, r, a] = await Promise.all([
        code ? mobileApi.link(code) : Promise.resolve({ items: [] }),
        mobileApi.recommendations(),
        mobileApi.applications(),
      ]);
      setLinked(l.items);
      setRecs(r);
      setApps(a.items);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [code]);
  useEffect(() => {
    load();
  }, [load]);

  const apply = async (p: PostingBrief) => {
    try {
      await mobileApi.apply(p.id);
      message.success(`已申请：${p.title}，工作人员会尽快与您联系`);
      load();
    } catch (e) {
      message.error((e as Error).message);
    }
  };

  const linkedIds = new Set(linked.map((l) => l.posting.id));
  return (
    <>
      {error ? <Alert type="error" showIcon message={error} style={{ margin: 12 }} /> : null}
      <Card
        className="mobile-card"
        title={`${me.name}，您好`}
        data-testid="mobile-card"
        extra={
          <Button
            type="link"
            onClick={async () => {
              await mobileApi.logout().catch(() => undefined);
              onSignedOut();
            }}
          >
            退出
          </Button>
        }
      >
        <Descriptions size="small" column={1}>
          <Descriptions.Item label="身份证号">{me.idNumberMasked}</Descriptions.Item>
          <Descriptions.Item label="手机号">{me.phoneMasked ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="户籍">{me.village}</Descriptions.Item>
          <Descriptions.Item label="文化程度">
            {EDUCATION.labels[me.education as keyof typeof EDUCATION.labels] ?? me.education}
          </Descriptions.Item>
          <Descriptions.Item label="就业状态">
            {EMPLOYMENT_STATUS.labels[me.employmentStatus as keyof typeof EMPLOYMENT_STATUS.labels] ?? me.employmentStatus}
          </Descriptions.Item>
        </Descriptions>
      </Card>

      {linked.length ? (
        <Card className="mobile-card" title="短信中的岗位" data-testid="mobile-linked">
          {linked.map((l) => (
            <PostingItem key={l.posting.id} posting={l.posting} applied={l.applied} onApply={apply} testId={`linked-${l.posting.id}`} />
          ))}
        </Card>
      ) : null}

      <Card className="mobile-card" title="为您推荐的岗位" data-testid="mobile-recommendations">
        {!recs ? (
          <Spin />
        ) : recs.refused ? (
          <Alert type="info" message={recs.refused} />
        ) : recs.items.length === 0 ? (
          <Empty description="暂时没有符合条件的岗位" />
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
      </Card>

      <Card className="mobile-card" title="我的申请" data-testid="mobile-applications">
        {apps.length === 0 ? (
          <Typography.Text type="secondary">还没有申请</Typography.Text>
        ) : (
          <List
            size="small"
            dataSource={apps}
            renderItem={(a) => (
              <List.Item
                extra={<Tag color="blue">{REFERRAL_STATUS.labels[a.status as keyof typeof REFERRAL_STATUS.labels] ?? a.status}</Tag>}
              >
                <List.Item.Meta title={a.title} description={a.employerName} />
              </List.Item>
            )}
          />
        )}
      </Card>

      <WishesCard me={me} onSaved={onChange} />

      <Card className="mobile-card" title="短信通知">
        <Flex justify="space-between" align="center">
          <span>接收岗位推送短信</span>
          <Switch
            checked={!me.smsOptedOut}
            data-testid="mobile-sms-switch"
            onChange={async (receive) => {
              try {
                await mobileApi.smsPreference(receive);
                message.success(receive ? '已恢复接收岗位短信' : '已退订，不再向您发送岗位短信');
                onChange();
              } catch (e) {
                message.error((e as Error).message);
              }
            }}
          />
        </Flex>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          也可以回复短信 TD 或“退订”。
        </Typography.Text>
      </Card>
    </>
  );
}

function PostingItem({
  posting: p,
  applied,
  reasons,
  onApply,
  testId,
}: {
  posting: PostingBrief;
  applied: boolean;
  reasons?: string[];
  onApply: (p: PostingBrief) => void;
  testId: string;
}) {
  return (
    <div className="mobile-posting" data-testid={testId}>
      <Flex justify="space-between" align="start" gap={8}>
        <div>
          <div className="mobile-posting-title">{p.title}</div>
          <div className="mobile-posting-meta">{p.employerName}</div>
          <div className="mobile-posting-meta">
            {p.place} · 月薪 <b>{p.wageMin === p.wageMax ? p.wageMin : `${p.wageMin}–${p.wageMax}`}</b> 元
            {p.food && p.housing ? ' · 包食宿' : p.food ? ' · 包吃' : p.housing ? ' · 包住' : ''}
          </div>
        </div>
        {applied ? (
          <Tag color="green">已申请</Tag>
        ) : (
          <Button type="primary" onClick={() => onApply(p)} data-testid={`apply-${p.id}`}>
            申请
          </Button>
        )}
      </Flex>
      {reasons?.length ? (
        <div style={{ marginTop: 6 }}>
          {reasons.map((r) => (
            <Tag key={r} style={{ marginBottom: 4 }}>
              {r}
            </Tag>
          ))}
        </div>
      ) : null}
      <Divider style={{ margin: '10px 0' }} />
    </div>
  );
}

function WishesCard({ me, onSaved }: { me: MobileMe; onSaved: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const current = me.pendingWishes?.changes ?? me.wishes;
  return (
    <Card className="mobile-card" title="我的就业意愿" data-testid="mobile-wishes">
      {me.pendingWishes ? <Alert type="warning" showIcon message="您提交的修改正在等待村信息员核实" style={{ marginBottom: 12 }} /> : null}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ willingness: current.willingness, wantedJobTypes: current.wantedJobTypes, expectedWage: current.expectedWage }}
        onFinish={async (v) => {
          try {
            await mobileApi.wishes({
              willingness: v.willingness,
              wantedJobTypes: v.wantedJobTypes ?? [],
              expectedWage: v.expectedWage ?? null,
            });
            message.success('已提交，村信息员核实后生效');
            onSaved();
          } catch (e) {
            message.error((e as Error).message);
          }
        }}
      >
        <Form.Item name="willingness" label="愿意去哪里工作">
          <Select size="large" options={Object.entries(WILLINGNESS.labels).map(([value, label]) => ({ value, label }))} />
        </Form.Item>
        <Form.Item name="wantedJobTypes" label="想做的工作">
          <Select size="large" mode="tags" placeholder="如：缝纫工、保洁员" />
        </Form.Item>
        <Form.Item name="expectedWage" label="期望月薪（元）">
          <InputNumber size="large" min={0} max={100000} style={{ width: '100%' }} />
        </Form.Item>
        <Button htmlType="submit" block size="large">
          提交修改
        </Button>
      </Form>
    </Card>
  );
}
