import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Empty,
  Flex,
  Form,
  Input,
  Modal,
  Pagination,
  Radio,
  Space,
  Switch,
  Tag,
  Typography,
} from 'antd';
import type { TableColumnsType } from 'antd';
import { DisconnectOutlined, MergeCellsOutlined, ReloadOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { api, errorText } from '../../api/client.ts';
import {
  DUPLICATES_PATH,
  EMPLOYMENT_COLORS,
  EMPLOYMENT_STATUS,
  POVERTY_STATUS,
  SEX,
  labelOf,
  laborerPath,
  shortVillageName,
  type DuplicateGroup,
  type Laborer,
} from '../../api/laborers.ts';
import type { Paged } from '../../api/types.ts';
import { useMe } from '../../app/auth.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import PageHeader from '../../components/PageHeader.tsx';
import RegionCascader from '../../components/RegionCascader.tsx';
import PlaceName from '../../components/PlaceName.tsx';
import ScrollTable from '../../components/ScrollTable.tsx';

const RULE_COLORS: Record<string, string> = { name_birth: 'orange', phone: 'volcano' };
const PAGE_SIZE = 10;

type Action = { kind: 'merge' | 'dismiss'; group: DuplicateGroup };

/**
 * 疑似重复: cards that may be one person (same name and birth date in one township, or the same
 * phone). Staff merge them (one card survives, both histories stay) or mark them as different people.
 */
export default function DuplicatesPage() {
  const me = useMe();
  const [params, setParams] = useSearchParams();
  // A province holds 1.5 million cards: a province admin picks a city or narrower region first.
  const needsRegion = me.region.code.length < 4;
  const region = params.get('region') ?? (needsRegion ? undefined : me.region.code);
  const page = Math.max(1, Number(params.get('page')) || 1);
  const [data, setData] = useState<Paged<DuplicateGroup> | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [action, setAction] = useState<Action | null>(null);

  const load = useCallback(async () => {
    if (!region) return;
    setLoading(true);
    setError(null);
    try {
      setData(
        await api.get<Paged<DuplicateGroup>>(DUPLICATES_PATH, {
          region: region === me.region.code ? undefined : region,
          page,
          pageSize: PAGE_SIZE,
        }),
      );
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [region, page, me.region.code]);

  useEffect(() => {
    load();
  }, [load]);

  const update = (patch: Record<string, string | undefined>) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(patch)) {
          if (v) next.set(k, v);
          else next.delete(k);
        }
        return next;
      },
      { replace: true },
    );

  const columns: TableColumnsType<Laborer> = [
    {
      title: '姓名',
      dataIndex: 'name',
      width: 90,
      render: (v: string, l) => (
        <Link to={`/laborers/${l.id}`} data-testid="duplicate-laborer-name">
          {v}
        </Link>
      ),
    },
    { title: '身份证号', dataIndex: 'idNumberMasked', width: 170, render: (v: string) => <span className="lw-mono">{v}</span> },
    {
      title: '手机号',
      dataIndex: 'phoneMasked',
      width: 110,
      render: (v: string | null) => (v ? <span className="lw-mono">{v}</span> : <Typography.Text type="secondary">—</Typography.Text>),
    },
    { title: '性别', dataIndex: 'sex', width: 56, render: (v: string) => labelOf(SEX, v) },
    // Age, not the birth date: beside the masked ID number the birth date gives its hidden digits back.
    { title: '年龄', dataIndex: 'age', width: 64, render: (v: number) => `${v} 岁` },
    {
      title: '户籍村',
      dataIndex: ['homeVillage', 'fullName'],
      ellipsis: true,
      render: (_: unknown, l) => <PlaceName fullName={l.homeVillage.fullName} code={l.homeVillage.code} viewer={me.region} />,
    },
    { title: '户类型', dataIndex: 'povertyStatus', width: 90, render: (v: string) => labelOf(POVERTY_STATUS, v) },
    {
      title: '就业状态',
      dataIndex: 'employmentStatus',
      width: 100,
      render: (v: string) => <Tag color={EMPLOYMENT_COLORS[v] ?? 'default'}>{labelOf(EMPLOYMENT_STATUS, v)}</Tag>,
    },
    { title: '更新时间', dataIndex: 'updatedAt', width: 104, render: (v: string) => dayjs(v).format('YYYY-MM-DD') },
  ];

  return (
    <>
      <PageHeader
        title="疑似重复信息卡"
        description="同一乡镇内姓名和出生日期相同、或手机号相同的信息卡。核实为同一人的可合并（保留一张卡，两张卡的变更记录都保留）；不是同一人的可标记排除。"
        extra={
          <Button icon={<ReloadOutlined />} onClick={load} disabled={!region} data-testid="duplicates-reload">
            刷新
          </Button>
        }
      />
      <Card variant="borderless" style={{ marginBottom: 16 }}>
        <Flex gap={16} align="center" wrap>
          {me.region.level !== 'village' && (
            <Space>
              <Typography.Text>区划</Typography.Text>
              <RegionCascader
                rootCode={me.region.code}
                changeOnSelect
                maxLevel="township"
                value={region}
                placeholder={needsRegion ? '请选择市、县或乡镇' : '全部（本辖区）'}
                style={{ width: 260 }}
                onChange={(code) => update({ region: code && code !== me.region.code ? code : undefined, page: undefined })}
                data-testid="duplicates-region"
              />
            </Space>
          )}
          {data && region && (
            <Typography.Text type="secondary" data-testid="duplicates-total">
              共 {data.total} 组疑似重复
            </Typography.Text>
          )}
        </Flex>
      </Card>
      <ErrorAlert error={error} testId="duplicates-error" />
      {!region ? (
        <Card variant="borderless">
          <Empty description="全省信息卡数量很大，请先选择一个市、县或乡镇" data-testid="duplicates-pick-region" />
        </Card>
      ) : data && data.items.length === 0 && !loading ? (
        <Card variant="borderless">
          <Empty description="暂无疑似重复的信息卡" data-testid="duplicates-empty" />
        </Card>
      ) : (
        <Space orientation="vertical" size={16} style={{ width: '100%' }} data-testid="duplicates-list">
          {(data?.items ?? []).map((group) => (
            <Card
              key={group.key}
              size="small"
              loading={loading}
              data-testid={`duplicate-group-${group.key}`}
              title={
                <Space wrap>
                  {group.rules.map((rule, i) => (
                    <Tag key={rule} color={RULE_COLORS[rule]} data-testid="duplicate-reason">
                      {group.reason.split('；')[i] ?? rule}
                    </Tag>
                  ))}
                  <Typography.Text type="secondary">{group.laborers.length} 张信息卡</Typography.Text>
                </Space>
              }
              extra={
                <Space>
                  <Button
                    size="small"
                    type="primary"
                    icon={<MergeCellsOutlined />}
                    onClick={() => setAction({ kind: 'merge', group })}
                    data-testid="duplicate-merge"
                  >
                    合并
                  </Button>
                  <Button
                    size="small"
                    icon={<DisconnectOutlined />}
                    onClick={() => setAction({ kind: 'dismiss', group })}
                    data-testid="duplicate-dismiss"
                  >
                    不是同一人
                  </Button>
                </Space>
              }
            >
              <ScrollTable<Laborer>
                rowKey="id"
                size="small"
                pagination={false}
                columns={columns}
                dataSource={group.laborers}
                scroll={{ x: 960 }}
              />
            </Card>
          ))}
          {data && data.total > PAGE_SIZE && (
            <Flex justify="flex-end">
              <Pagination
                current={page}
                pageSize={PAGE_SIZE}
                total={data.total}
                showTotal={(t) => `共 ${t} 组`}
                onChange={(p) => update({ page: p === 1 ? undefined : String(p) })}
              />
            </Flex>
          )}
        </Space>
      )}
      {action?.kind === 'merge' && <MergeModal group={action.group} onClose={() => setAction(null)} onDone={load} />}
      {action?.kind === 'dismiss' && <DismissModal group={action.group} onClose={() => setAction(null)} onDone={load} />}
    </>
  );
}

type Viewer = ReturnType<typeof useMe>['region'];
const cardLabel = (l: Laborer, viewer: Viewer) =>
  `${l.name}  ${l.idNumberMasked}  ${l.phoneMasked ?? '无手机号'}  ${shortVillageName(l.homeVillage.fullName, viewer)}`;

/** Choose the card that stays and the one merged into it; the survivor's empty fields may be filled from the other. */
function MergeModal({ group, onClose, onDone }: { group: DuplicateGroup; onClose: () => void; onDone: () => void }) {
  const { message } = App.useApp();
  const viewer = useMe().region;
  const [survivor, setSurvivor] = useState(group.laborers[0].id);
  const others = useMemo(() => group.laborers.filter((l) => l.id !== survivor), [group, survivor]);
  const [duplicate, setDuplicate] = useState(group.laborers[1].id);
  const [fill, setFill] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  useEffect(() => {
    if (duplicate === survivor) setDuplicate(others[0]?.id);
  }, [survivor, duplicate, others]);

  const submit = async ({ reason }: { reason: string }) => {
    setLoading(true);
    setError(null);
    try {
      const kept = await api.post<Laborer>(`${laborerPath(survivor)}/merge`, {
        duplicateId: duplicate,
        reason: reason.trim(),
        fillEmptyFields: fill,
      });
      message.success(`已合并，保留 ${kept.name} 的信息卡`);
      onClose();
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  };

  return (
    <Modal
      open
      title="合并疑似重复信息卡"
      onCancel={onClose}
      width={640}
      mask={{ closable: false }}
      footer={
        <>
          <Button onClick={onClose}>取消</Button>
          <Button
            type="primary"
            danger
            icon={<MergeCellsOutlined />}
            loading={loading}
            onClick={() => form.submit()}
            data-testid="merge-submit"
          >
            确认合并
          </Button>
        </>
      }
    >
      <Alert
        type="warning"
        showIcon
        style={{ marginBottom: 16 }}
        title="合并后被合并的信息卡将注销，不再出现在名册中"
        description="两张卡的全部变更记录都保留在保留卡的变更时间线中。合并操作记入审计日志，请确认确为同一人后再合并。"
      />
      <ErrorAlert error={error} testId="merge-error" />
      <Typography.Text strong>保留的信息卡</Typography.Text>
      <Radio.Group
        value={survivor}
        onChange={(e) => setSurvivor(e.target.value)}
        style={{ display: 'flex', flexDirection: 'column', gap: 6, margin: '8px 0 16px' }}
        data-testid="merge-survivor"
      >
        {group.laborers.map((l) => (
          <Radio key={l.id} value={l.id}>
            {cardLabel(l, viewer)}
          </Radio>
        ))}
      </Radio.Group>
      <Typography.Text strong>并入并注销的信息卡</Typography.Text>
      <Radio.Group
        value={duplicate}
        onChange={(e) => setDuplicate(e.target.value)}
        style={{ display: 'flex', flexDirection: 'column', gap: 6, margin: '8px 0 16px' }}
        data-testid="merge-duplicate"
      >
        {others.map((l) => (
          <Radio key={l.id} value={l.id}>
            {cardLabel(l, viewer)}
          </Radio>
        ))}
      </Radio.Group>
      <Flex gap={8} align="center" style={{ marginBottom: 16 }}>
        <Switch checked={fill} onChange={setFill} data-testid="merge-fill" />
        <Typography.Text>保留卡中空缺的项目（手机号、技能、家庭人口等）用被合并卡的内容补齐</Typography.Text>
      </Flex>
      <Form form={form} layout="vertical" name="merge" onFinish={submit} requiredMark={false}>
        <Form.Item
          name="reason"
          label="合并原因"
          rules={[
            { required: true, whitespace: true, message: '请填写合并原因' },
            { min: 2, max: 200, message: '原因为 2 到 200 个字' },
          ]}
        >
          <Input.TextArea
            maxLength={200}
            showCount
            autoSize={{ minRows: 2, maxRows: 4 }}
            placeholder="如：入户核实为同一人，身份证号录入错误"
            data-testid="merge-reason"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** "Not the same person": the chosen pair is no longer listed (a group of two is one pair). */
function DismissModal({ group, onClose, onDone }: { group: DuplicateGroup; onClose: () => void; onDone: () => void }) {
  const { message } = App.useApp();
  const viewer = useMe().region;
  const [picked, setPicked] = useState<string[]>(group.laborers.length === 2 ? group.laborers.map((l) => l.id) : []);
  const [reason, setReason] = useState('');
  const [loading, setLoading] = useState(false);

  const submit = async () => {
    if (picked.length !== 2) {
      message.warning('请选择两张信息卡');
      return;
    }
    setLoading(true);
    try {
      await api.post(`${DUPLICATES_PATH}/dismiss`, { laborerIds: picked, reason: reason.trim() || undefined });
      message.success('已标记为不是同一人');
      onClose();
      onDone();
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setLoading(false);
    }
  };

  return (
    <Modal
      open
      title="标记为不是同一人"
      onCancel={onClose}
      mask={{ closable: false }}
      footer={
        <>
          <Button onClick={onClose}>取消</Button>
          <Button type="primary" loading={loading} disabled={picked.length !== 2} onClick={submit} data-testid="dismiss-submit">
            确认
          </Button>
        </>
      }
    >
      <Typography.Paragraph type="secondary">经核实不是同一人的两张信息卡，今后不再列为疑似重复。</Typography.Paragraph>
      <Checkbox.Group
        value={picked}
        onChange={(v) => setPicked((v as string[]).slice(-2))}
        style={{ display: 'flex', flexDirection: 'column', gap: 6, marginBottom: 16 }}
        data-testid="dismiss-pick"
      >
        {group.laborers.map((l) => (
          <Checkbox key={l.id} value={l.id} disabled={group.laborers.length === 2}>
            {cardLabel(l, viewer)}
          </Checkbox>
        ))}
      </Checkbox.Group>
      <Input.TextArea
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        maxLength={200}
        showCount
        autoSize={{ minRows: 2, maxRows: 4 }}
        placeholder="说明（选填），如：父子共用一个手机号"
        data-testid="dismiss-reason"
      />
    </Modal>
  );
}
