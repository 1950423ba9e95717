import { useCallback, useEffect, useState } from 'react';
import { App, Button, DatePicker, Drawer, Form, Input, InputNumber, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { api } from '../../api/client.ts';
import {
  PASSENGER_SOURCE,
  TRIP_MODE,
  TRIP_ORGANISER_ROLES,
  TRIP_STATUS,
  TRIP_STATUS_COLORS,
  TRIPS_PATH,
  tripPath,
  type Manifest,
  type Passenger,
  type Trip,
  type TripCandidates,
  type TripList,
  type TripSubsidyDraft,
} from '../../api/travel.ts';
import { useMe } from '../../app/auth.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import { ListTable, ModalForm, useListQuery } from '../../components/list/index.ts';
import { tripColumns } from './columns.tsx';
import PageHeader from '../../components/PageHeader.tsx';
import { chinaNow } from '../../app/format.ts';

const DAY = 'YYYY-MM-DD';

/** 就业直通车: trips from the county (专车, 专列), their manifests, boarding and arrival at the gate. */
export default function TravelPage() {
  const me = useMe();
  const organiser = TRIP_ORGANISER_ROLES.includes(me.role);
  const list = useListQuery<Trip, Record<string, never>, never, TripList>(TRIPS_PATH, { filters: {} });
  const load = list.reload;
  const [creating, setCreating] = useState(false);
  const [open, setOpen] = useState<string | null>(null);

  return (
    <>
      <PageHeader
        title="就业直通车"
        description="从家门到车门、从车门到厂门：安排专车、专列，登记上车和到达，在途人员一个不少"
        extra={
          <Space>
            {organiser && (
              <Button type="primary" icon={<PlusOutlined />} data-testid="trip-create" onClick={() => setCreating(true)}>
                安排车次
              </Button>
            )}
            <Button icon={<ReloadOutlined />} onClick={load}>
              刷新
            </Button>
          </Space>
        }
      />
      <ErrorAlert error={list.error} />
      <ListTable<Trip> rowKey="id" data-testid="trip-table" list={list} columns={tripColumns(setOpen)} sizeChanger={false} unit="趟" />
      <CreateTripModal
        open={creating}
        onClose={(saved) => {
          setCreating(false);
          if (saved) load();
        }}
      />
      {open && (
        <ManifestDrawer
          tripId={open}
          organiser={organiser}
          onClose={() => {
            setOpen(null);
            load();
          }}
        />
      )}
    </>
  );
}

/** 安排就业直通车: a new form on each opening. */
function CreateTripModal({ open, onClose }: { open: boolean; onClose: (saved: boolean) => void }) {
  const { message } = App.useApp();
  const [employers, setEmployers] = useState<{ id: string; name: string }[]>([]);
  useEffect(() => {
    if (!open) return;
    api
      .get<{ items: { id: string; name: string }[] }>('/api/v1/employers', { pageSize: 100 })
      .then((r) => setEmployers(r.items))
      .catch(() => undefined);
  }, [open]);
  return (
    <ModalForm<TripValues>
      open={open}
      title="安排就业直通车"
      okTestId="trip-save"
      initialValues={{ mode: 'bus', capacity: 45, subsidyPerPerson: 150, departsOn: chinaNow().add(7, 'day') }}
      onClose={onClose}
      onSubmit={async (v) => {
        await api.post(TRIPS_PATH, {
          mode: v.mode,
          employerId: v.employerId || undefined,
          destinationRegionCode: v.destinationRegionCode || undefined,
          departsOn: v.departsOn.format(DAY),
          capacity: v.capacity,
          subsidyPerPerson: v.subsidyPerPerson ?? 0,
          note: v.note || undefined,
        });
        message.success('车次已安排');
      }}
    >
      <Form.Item name="mode" label="方式" rules={[{ required: true }]}>
        <Select data-testid="trip-mode" options={TRIP_MODE.codes.map((c) => ({ value: c, label: TRIP_MODE.labels[c] }))} />
      </Form.Item>
      <Form.Item name="employerId" label="用人单位（目的地）">
        <Select
          data-testid="trip-employer"
          allowClear
          showSearch
          optionFilterProp="label"
          options={employers.map((e) => ({ value: e.id, label: e.name }))}
        />
      </Form.Item>
      <Form.Item
        name="destinationRegionCode"
        label="到达地区代码（未选用人单位时必填）"
        rules={[{ pattern: /^(\d{4}|\d{6}|\d{9}|\d{12})$/, message: '请输入市级或以下区划代码' }]}
      >
        <Input data-testid="trip-destination" placeholder="如 4403（深圳市）" />
      </Form.Item>
      <Form.Item name="departsOn" label="发车日期" rules={[{ required: true, message: '请选择发车日期' }]}>
        <DatePicker data-testid="trip-date" disabledDate={(d) => d.isBefore(chinaNow(), 'day')} />
      </Form.Item>
      <Form.Item name="capacity" label="核定人数" rules={[{ required: true, message: '请输入核定人数' }]}>
        <InputNumber data-testid="trip-capacity" min={1} max={3000} />
      </Form.Item>
      <Form.Item name="subsidyPerPerson" label="每人免费乘车补贴（元）">
        <InputNumber min={0} max={10000} />
      </Form.Item>
      <Form.Item name="note" label="备注">
        <Input.TextArea maxLength={500} />
      </Form.Item>
    </ModalForm>
  );
}

interface TripValues {
  mode: string;
  employerId?: string;
  destinationRegionCode?: string;
  departsOn: Dayjs;
  capacity: number;
  subsidyPerPerson?: number;
  note?: string;
}

function ManifestDrawer({ tripId, organiser, onClose }: { tripId: string; organiser: boolean; onClose: () => void }) {
  const { message, modal } = App.useApp();
  const [manifest, setManifest] = useState<Manifest | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [candidates, setCandidates] = useState<TripCandidates['items']>([]);
  const [picked, setPicked] = useState<string[]>([]);
  const [returning, setReturning] = useState('');

  const load = useCallback(async () => {
    try {
      const m = await api.get<Manifest>(tripPath(tripId, '/manifest'));
      setManifest(m);
      if (organiser && m.trip.status === 'planned' && m.trip.employer)
        setCandidates((await api.get<TripCandidates>(tripPath(tripId, '/candidates'))).items);
    } catch (e) {
      setError(e);
    }
  }, [tripId, organiser]);
  useEffect(() => {
    load();
  }, [load]);

  const act = async (path: string, body: object, done?: string) => {
    try {
      await api.post(tripPath(tripId, path), body);
      if (done) message.success(done);
      await load();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  // 免费乘车补贴 into the subsidy ledger: one transport subsidy per boarded rider of the caller's scope, never twice.
  const draftSubsidies = async () => {
    try {
      const r = await api.post<TripSubsidyDraft>(tripPath(tripId, '/subsidies'));
      message.success(
        r.created > 0
          ? `已生成交通补贴申请 ${r.created} 人，共 ${r.amount} 元，待审批${r.skipped ? `；${r.skipped} 人已有当天交通补贴，未重复生成` : ''}`
          : `没有新生成：已上车人员都已有当天的交通补贴（${r.skipped} 人）`,
      );
      await load();
    } catch (e) {
      message.error((e as Error).message);
    }
  };
  const askReason = (p: Passenger) => {
    let reason = '中途下车';
    modal.confirm({
      title: `登记${p.name}未到达的原因`,
      content: <Input data-testid="arrival-reason" defaultValue={reason} onChange={(e) => (reason = e.target.value)} maxLength={200} />,
      okText: '登记',
      onOk: () => act('/arrivals', { laborerIds: [p.laborerId], arrived: false, reason: reason.trim() || '中途下车' }),
    });
  };

  const trip = manifest?.trip;
  const columns: TableColumnsType<Passenger> = [
    { title: '姓名', dataIndex: 'name' },
    { title: '身份证号', dataIndex: 'idNumberMasked' },
    { title: '手机号', render: (_, p) => p.phoneMasked ?? '—' },
    { title: '村', dataIndex: 'villageName' },
    { title: '来源', render: (_, p) => PASSENGER_SOURCE.labels[p.source] },
    {
      title: '上车',
      render: (_, p) => (
        <Switch
          size="small"
          data-testid={`board-${p.laborerId}`}
          checked={p.boarded}
          disabled={!organiser || p.arrived || !(trip?.status === 'planned' || trip?.status === 'departed')}
          onChange={(v) => act('/boarding', { laborerIds: [p.laborerId], boarded: v })}
        />
      ),
    },
    {
      title: '到达',
      render: (_, p) => (
        <Space>
          <Switch
            size="small"
            data-testid={`arrive-${p.laborerId}`}
            checked={p.arrived}
            disabled={trip?.status !== 'departed' || !p.boarded}
            onChange={(v) => act('/arrivals', { laborerIds: [p.laborerId], arrived: v })}
          />
          {p.missingReason && <Tag color="orange">{p.missingReason}</Tag>}
          {p.missing && (
            <Tag color="red" data-testid={`missing-${p.laborerId}`}>
              在途未到
            </Tag>
          )}
          {trip?.status === 'departed' && p.boarded && !p.arrived && !p.missingReason && (
            <Button size="small" type="link" onClick={() => askReason(p)}>
              登记原因
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <Drawer open width={960} title="乘车名单" onClose={onClose} data-testid="manifest-drawer">
      <ErrorAlert error={error} />
      {trip && (
        <>
          <Typography.Paragraph>
            {trip.departsOn} {TRIP_MODE.labels[trip.mode]} · {trip.fromCounty.name} →{' '}
            {trip.employer ? `${trip.employer.name}（${trip.destination.name}）` : trip.destination.name}
            {' · '}
            <Tag color={TRIP_STATUS_COLORS[trip.status]}>{TRIP_STATUS.labels[trip.status]}</Tag> 乘车 {trip.passengers}/{trip.capacity}{' '}
            人，上车 {trip.boarded} 人，到达 {trip.arrived} 人，
            <span data-testid="manifest-subsidy">
              乘车补贴应补 {trip.subsidyDue} 元，已记入补贴台账 {trip.subsidyRiders} 人 {trip.subsidyTotal} 元（已发放 {trip.subsidyPaid}{' '}
              元）
            </span>
          </Typography.Paragraph>
          {manifest!.outsideScope > 0 && (
            <Typography.Paragraph type="secondary" data-testid="manifest-outside-scope">
              另有 {manifest!.outsideScope} 名乘车人员不属于您的辖区，未列出，由其所在乡镇或县人社部门登记上车和到达。
            </Typography.Paragraph>
          )}
          {manifest!.missing.length > 0 && (
            <Typography.Paragraph type="danger" data-testid="manifest-missing">
              在途未到（已上车、未确认到达、未登记原因）：{manifest!.missing.map((p) => p.name).join('、')}
            </Typography.Paragraph>
          )}
          {organiser && (
            <Space wrap style={{ marginBottom: 12 }}>
              {trip.status === 'planned' && (
                <Button data-testid="trip-depart" onClick={() => act('/status', { status: 'departed' }, '已发车')}>
                  发车
                </Button>
              )}
              {trip.status === 'departed' && (
                <Button type="primary" data-testid="trip-arrived" onClick={() => act('/status', { status: 'arrived' }, '车次已到达')}>
                  确认车次到达
                </Button>
              )}
              {(trip.status === 'departed' || trip.status === 'arrived') && trip.subsidyPerPerson > 0 && (
                <Button data-testid="trip-subsidies" onClick={draftSubsidies}>
                  生成交通补贴
                </Button>
              )}
              {trip.status === 'planned' && (
                <Button danger onClick={() => act('/status', { status: 'cancelled' }, '车次已取消')}>
                  取消车次
                </Button>
              )}
            </Space>
          )}
          {organiser && trip.status === 'planned' && (
            <Space wrap style={{ marginBottom: 12 }}>
              {trip.employer && (
                <>
                  <Select
                    mode="multiple"
                    style={{ minWidth: 320 }}
                    placeholder="从录用人员中选择"
                    data-testid="trip-candidates"
                    value={picked}
                    onChange={setPicked}
                    options={candidates.map((c) => ({ value: c.laborerId, label: `${c.name} ${c.idNumberMasked} ${c.villageName}` }))}
                  />
                  <Button
                    disabled={!picked.length}
                    data-testid="trip-add-hires"
                    onClick={async () => {
                      await act('/passengers', { source: 'hire', laborerIds: picked }, '已加入乘车名单');
                      setPicked([]);
                    }}
                  >
                    加入录用人员
                  </Button>
                </>
              )}
              <Input
                style={{ width: 240 }}
                placeholder="返岗名单：劳动力编号，逗号分隔"
                value={returning}
                onChange={(e) => setReturning(e.target.value)}
              />
              <Button
                disabled={!returning.trim()}
                onClick={async () => {
                  await act(
                    '/passengers',
                    { source: 'return_to_work', laborerIds: returning.split(/[,，\s]+/).filter(Boolean) },
                    '已加入乘车名单',
                  );
                  setReturning('');
                }}
              >
                加入返岗人员
              </Button>
            </Space>
          )}
          <Table
            rowKey="laborerId"
            size="small"
            data-testid="manifest-table"
            columns={columns}
            dataSource={manifest!.passengers}
            pagination={false}
            onRow={(p) => ({ style: p.missing ? { background: '#fff1f0' } : undefined })}
          />
        </>
      )}
    </Drawer>
  );
}
