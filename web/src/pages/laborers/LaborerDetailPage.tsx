import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { App, Button, Card, Col, Descriptions, Flex, Popconfirm, Result, Row, Skeleton, Space, Tag, Tooltip, Typography } from 'antd';
import type { DescriptionsProps } from 'antd';
import {
  ArrowLeftOutlined,
  CheckCircleOutlined,
  DeleteOutlined,
  EditOutlined,
  EyeOutlined,
  HistoryOutlined,
  ReloadOutlined,
} from '@ant-design/icons';
import dayjs from 'dayjs';
import { api, ApiError, errorText } from '../../api/client.ts';
import {
  CARING,
  CONFIRM_ROLES,
  EDUCATION,
  EMPLOYMENT_COLORS,
  EMPLOYMENT_STATUS,
  ETHNICITY,
  FLAG_COLORS,
  FLAGS,
  HEALTH,
  LABOR_CAPACITY,
  POVERTY_COLORS,
  POVERTY_STATUS,
  SEX,
  WILLINGNESS,
  confirmedThisQuarter,
  labelOf,
  laborerPath,
  registerListPath,
  type Laborer,
  type LaborerHistory as History,
} from '../../api/laborers.ts';
import { useMe } from '../../app/auth.tsx';
import ErrorAlert from '../../components/ErrorAlert.tsx';
import PageHeader from '../../components/PageHeader.tsx';
import LaborerEmployments from './LaborerEmployments.tsx';
import LaborerHistory from './LaborerHistory.tsx';
import DeleteModal from './DeleteModal.tsx';
import RevealModal from './RevealModal.tsx';
import LaborerRecommendations from '../matching/LaborerRecommendations.tsx';
import PrintButton from '../../components/PrintButton.tsx';
import LaborerPrintSheet from './LaborerPrintSheet.tsx';
import { grouped } from '../../app/format.ts';

const none = <Typography.Text type="secondary">—</Typography.Text>;
const text = (v: string | number | null | undefined): ReactNode => (v === null || v === undefined || v === '' ? none : v);
const list = (items: string[]): ReactNode => (items.length ? items.join('、') : none);

export default function LaborerDetailPage() {
  const { id = '' } = useParams<{ id: string }>();
  const me = useMe();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [card, setCard] = useState<Laborer | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [history, setHistory] = useState<History['items'] | null>(null);
  const [historyError, setHistoryError] = useState<unknown>(null);
  const [revealing, setRevealing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [confirming, setConfirming] = useState(false);

  const loadCard = useCallback(async () => {
    try {
      setCard(await api.get<Laborer>(laborerPath(id)));
      setLoadError(null);
    } catch (e) {
      setLoadError(e);
    }
  }, [id]);

  const loadHistory = useCallback(async () => {
    try {
      setHistory((await api.get<History>(`${laborerPath(id)}/history`)).items);
      setHistoryError(null);
    } catch (e) {
      setHistoryError(e);
    }
  }, [id]);

  useEffect(() => {
    window.scrollTo(0, 0);
    setCard(null);
    setHistory(null);
    loadCard();
    loadHistory();
  }, [loadCard, loadHistory]);

  const confirm = async () => {
    setConfirming(true);
    try {
      await api.post(`${laborerPath(id)}/confirm`);
      message.success('已记录本季度核实');
      await Promise.all([loadCard(), loadHistory()]);
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setConfirming(false);
    }
  };

  if (loadError) {
    const missing = loadError instanceof ApiError && loadError.status === 404;
    return (
      <Result
        status={missing ? '404' : 'error'}
        title={missing ? '信息卡不存在或无权查看' : '加载失败'}
        subTitle={missing ? '该劳动力不在您的管辖范围内，或信息卡已被删除。' : errorText(loadError)}
        extra={
          <Link to={registerListPath()}>
            <Button type="primary">返回名册</Button>
          </Link>
        }
      />
    );
  }
  if (!card) {
    return (
      <Card variant="borderless">
        <Skeleton active paragraph={{ rows: 10 }} />
      </Card>
    );
  }

  const confirmed = confirmedThisQuarter(card.lastConfirmedAt);
  const canConfirm = CONFIRM_ROLES.includes(me.role);
  const descriptions = (items: DescriptionsProps['items']) => (
    <Descriptions size="small" column={{ xs: 1, sm: 2, lg: 3 }} items={items} styles={{ label: { width: 110 } }} />
  );

  return (
    <>
      <LaborerPrintSheet card={card} printedBy={`${me.displayName}（${me.username}）`} />
      <div className="lw-screen-only">
        <PageHeader
          title={
            <Space size={10} wrap>
              <span data-testid="laborer-title">{card.name}</span>
              <Typography.Text type="secondary" style={{ fontSize: 14, fontWeight: 'normal' }}>
                劳动力信息卡
              </Typography.Text>
            </Space>
          }
          description={card.homeVillage.fullName}
          extra={
            <>
              <Button icon={<ArrowLeftOutlined />} onClick={() => navigate(registerListPath())} data-testid="laborer-back">
                返回名册
              </Button>
              {canConfirm && (
                <Popconfirm
                  title="季度核实"
                  description={
                    <div style={{ maxWidth: 280 }}>确认本季度已走访核实该劳动力的信息（无论有无变化）？如有变化，请先修改信息卡。</div>
                  }
                  okText="确认已核实"
                  cancelText="取消"
                  onConfirm={confirm}
                >
                  <Button icon={<CheckCircleOutlined />} loading={confirming} data-testid="laborer-confirm">
                    季度核实
                  </Button>
                </Popconfirm>
              )}
              <PrintButton testId="laborer-print" />
              <Button danger icon={<DeleteOutlined />} onClick={() => setDeleting(true)} data-testid="laborer-delete">
                删除
              </Button>
              <Link to={`/laborers/${card.id}/edit`}>
                <Button type="primary" icon={<EditOutlined />} data-testid="laborer-edit">
                  编辑
                </Button>
              </Link>
            </>
          }
        />
        <div data-testid="laborer-detail">
          <Card variant="borderless" style={{ marginBottom: 16 }}>
            <Flex gap={8} wrap align="center" style={{ marginBottom: 16 }}>
              <Tag color={EMPLOYMENT_COLORS[card.employmentStatus] ?? 'default'}>{labelOf(EMPLOYMENT_STATUS, card.employmentStatus)}</Tag>
              <Tag color={POVERTY_COLORS[card.povertyStatus] ?? 'default'}>{labelOf(POVERTY_STATUS, card.povertyStatus)}</Tag>
              {card.flags.map((f) => (
                <Tag key={f} color={FLAG_COLORS[f] ?? 'default'}>
                  {labelOf(FLAGS, f)}
                </Tag>
              ))}
              <Tooltip title={card.lastConfirmedAt ? `最近核实：${dayjs(card.lastConfirmedAt).format('YYYY-MM-DD HH:mm')}` : '从未核实'}>
                <Tag
                  color={confirmed ? 'success' : 'warning'}
                  icon={confirmed ? <CheckCircleOutlined /> : undefined}
                  data-testid="laborer-confirmed"
                >
                  {confirmed ? '本季度已核实' : '本季度未核实'}
                </Tag>
              </Tooltip>
              <Typography.Text type="secondary" style={{ marginLeft: 'auto' }}>
                第 {card.version} 版 · 更新于 {dayjs(card.updatedAt).format('YYYY-MM-DD HH:mm')}
              </Typography.Text>
            </Flex>
            <Typography.Title level={5} style={{ marginTop: 0 }}>
              基本信息
            </Typography.Title>
            {descriptions([
              { key: 'name', label: '姓名', children: card.name },
              {
                key: 'idNumber',
                label: '身份证号',
                span: 2,
                children: (
                  <Space size={8} wrap>
                    <span className="lw-mono" data-testid="laborer-id-masked">
                      {card.idNumberMasked}
                    </span>
                    <Button
                      size="small"
                      type="link"
                      icon={<EyeOutlined />}
                      onClick={() => setRevealing(true)}
                      data-testid="laborer-reveal"
                      style={{ padding: 0 }}
                    >
                      查看完整证件号
                    </Button>
                  </Space>
                ),
              },
              { key: 'sex', label: '性别', children: labelOf(SEX, card.sex) },
              // No birth date beside the masked ID number: it is the hidden digits (shown with the reveal).
              { key: 'age', label: '年龄', children: `${card.age} 岁` },
              { key: 'phone', label: '手机号', children: card.phoneMasked ? <span className="lw-mono">{card.phoneMasked}</span> : none },
              { key: 'ethnicity', label: '民族', children: card.ethnicity ? labelOf(ETHNICITY, card.ethnicity) : none },
              {
                key: 'householdCode',
                label: '户编号',
                // The household as of today: its members, who works where, income on record (issue 20 item 1).
                children: card.householdCode ? (
                  <Link to={`/households/${encodeURIComponent(card.householdCode)}`} className="lw-mono" data-testid="laborer-household">
                    {card.householdCode}
                  </Link>
                ) : (
                  none
                ),
              },
              {
                key: 'homeVillage',
                label: '户籍所在村',
                span: 2,
                children: (
                  <span>
                    {card.homeVillage.fullName}
                    <Typography.Text type="secondary" className="lw-mono" style={{ marginLeft: 6, fontSize: 12 }}>
                      {card.homeVillage.code}
                    </Typography.Text>
                  </span>
                ),
              },
              { key: 'relationToHead', label: '与户主关系', children: text(card.relationToHead) },
              { key: 'householdSize', label: '家庭人口', children: card.householdSize ? `${card.householdSize} 人` : none },
            ])}
            <Typography.Title level={5}>家庭与健康</Typography.Title>
            {descriptions([
              { key: 'povertyStatus', label: '户类型', children: labelOf(POVERTY_STATUS, card.povertyStatus) },
              { key: 'laborCapacity', label: '劳动能力', children: labelOf(LABOR_CAPACITY, card.laborCapacity) },
              { key: 'health', label: '健康状况', children: labelOf(HEALTH, card.health) },
              { key: 'caring', label: '照料负担', children: labelOf(CARING, card.caring) },
            ])}
            <Typography.Title level={5}>技能与意愿</Typography.Title>
            {descriptions([
              { key: 'education', label: '文化程度', children: labelOf(EDUCATION, card.education) },
              { key: 'willingness', label: '就业意愿', children: labelOf(WILLINGNESS, card.willingness) },
              {
                key: 'expectedWage',
                label: '期望月薪',
                children: card.expectedWage === null ? none : `${grouped(card.expectedWage)} 元`,
              },
              { key: 'skills', label: '技能特长', children: list(card.skills) },
              { key: 'certificates', label: '职业资格证书', children: list(card.certificates) },
              { key: 'wantedJobTypes', label: '意向工种', children: list(card.wantedJobTypes) },
            ])}
            <Typography.Title level={5}>就业与其他</Typography.Title>
            {descriptions([
              {
                key: 'employmentStatus',
                label: '就业状态',
                children: (
                  <Tag color={EMPLOYMENT_COLORS[card.employmentStatus] ?? 'default'}>
                    {labelOf(EMPLOYMENT_STATUS, card.employmentStatus)}
                  </Tag>
                ),
              },
              {
                key: 'flags',
                label: '特殊标识',
                span: 2,
                children: card.flags.length ? card.flags.map((f) => labelOf(FLAGS, f)).join('、') : none,
              },
              { key: 'trainingHistory', label: '培训经历', span: 3, children: text(card.trainingHistory) },
              { key: 'remark', label: '备注', span: 3, children: text(card.remark) },
              {
                key: 'lastConfirmedAt',
                label: '最近核实',
                children: card.lastConfirmedAt ? (
                  dayjs(card.lastConfirmedAt).format('YYYY-MM-DD HH:mm')
                ) : (
                  <Typography.Text type="warning">未核实</Typography.Text>
                ),
              },
              { key: 'version', label: '版本', children: `第 ${card.version} 版` },
              { key: 'updatedAt', label: '更新时间', children: dayjs(card.updatedAt).format('YYYY-MM-DD HH:mm:ss') },
            ])}
          </Card>
          <LaborerEmployments
            laborerId={card.id}
            onChanged={() => {
              loadCard();
              loadHistory();
            }}
          />
          <LaborerRecommendations laborerId={card.id} />
          <Row>
            <Col span={24}>
              <Card
                variant="borderless"
                title={
                  <Space>
                    <HistoryOutlined />
                    动态管理台账
                  </Space>
                }
                extra={<Button size="small" type="text" icon={<ReloadOutlined />} onClick={loadHistory} aria-label="刷新" />}
                data-testid="laborer-history"
              >
                <ErrorAlert error={historyError} testId="laborer-history-error" />
                {history ? <LaborerHistory items={history} /> : !historyError && <Skeleton active />}
              </Card>
            </Col>
          </Row>
        </div>
      </div>
      <RevealModal laborer={card} open={revealing} onClose={() => setRevealing(false)} />
      <DeleteModal
        laborer={card}
        open={deleting}
        onClose={() => setDeleting(false)}
        onDeleted={() => {
          setDeleting(false);
          message.success('信息卡已删除，删除原因已记入台账');
          navigate(registerListPath());
        }}
      />
    </>
  );
}
