import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { App, Button, Card, Descriptions, Input, Modal, Result, Skeleton, Space, Tag, Typography } from 'antd';
import { ArrowLeftOutlined, EditOutlined, PauseCircleOutlined, PlayCircleOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { api, ApiError, errorText } from '../../api/client.ts';
import { EMPLOYER_KIND, EMPLOYER_KIND_COLORS } from '../../api/employers.ts';
import { EDUCATION, labelOf } from '../../api/laborers.ts';
import { boardText, occupationLabel, postingPath, wageRange, type Posting } from '../../api/postings.ts';
import PageHeader from '../../components/PageHeader.tsx';
import { PostingStateTag } from './columns.tsx';
import PostingCandidates from '../matching/PostingCandidates.tsx';

const none = <Typography.Text type="secondary">—</Typography.Text>;
const list = (items: string[]): ReactNode => (items.length ? items.join('、') : none);

/** One posting (岗位) at /postings/:id, with room for its candidates (matching). */
export default function PostingDetailPage() {
  const { id = '' } = useParams<{ id: string }>();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [posting, setPosting] = useState<Posting | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [closing, setClosing] = useState(false);
  const [closeReason, setCloseReason] = useState('');
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setPosting(await api.get<Posting>(postingPath(id)));
      setLoadError(null);
    } catch (e) {
      setLoadError(e);
    }
  }, [id]);
  useEffect(() => {
    window.scrollTo(0, 0);
    setPosting(null);
    load();
  }, [load]);

  const close = async () => {
    setBusy(true);
    try {
      setPosting(await api.post<Posting>(`${postingPath(id)}/close`, { reason: closeReason.trim() || undefined }));
      message.success('已停止招聘');
      setClosing(false);
      setCloseReason('');
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const reopen = async () => {
    setBusy(true);
    try {
      setPosting(await api.patch<Posting>(postingPath(id), { status: 'open' }));
      message.success('已重新开始招聘');
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  if (loadError) {
    const missing = loadError instanceof ApiError && loadError.status === 404;
    return (
      <Result
        status={missing ? '404' : 'error'}
        title={missing ? '岗位不存在或无权查看' : '加载失败'}
        subTitle={missing ? undefined : errorText(loadError)}
        extra={
          <Link to="/postings">
            <Button type="primary">返回岗位列表</Button>
          </Link>
        }
      />
    );
  }
  if (!posting) {
    return (
      <Card variant="borderless">
        <Skeleton active paragraph={{ rows: 10 }} />
      </Card>
    );
  }

  return (
    <>
      <PageHeader
        title={
          <Space size={10} wrap>
            <span data-testid="posting-detail-title">{posting.title}</span>
            <PostingStateTag state={posting.state} />
            {posting.reservedForPoor && <Tag color="red">就业扶贫专岗</Tag>}
          </Space>
        }
        description={
          <span>
            <Link to={`/employers/${posting.employer.id}`}>{posting.employer.name}</Link> · {posting.workRegion.fullName}
          </span>
        }
        extra={
          <>
            <Button icon={<ArrowLeftOutlined />} onClick={() => navigate('/postings')} data-testid="posting-back">
              返回列表
            </Button>
            {posting.editable && posting.status === 'open' && (
              <Button icon={<PauseCircleOutlined />} onClick={() => setClosing(true)} loading={busy} data-testid="posting-close">
                停止招聘
              </Button>
            )}
            {posting.editable && posting.status === 'closed' && (
              <Button icon={<PlayCircleOutlined />} onClick={reopen} loading={busy} data-testid="posting-reopen">
                重新开始招聘
              </Button>
            )}
            {posting.editable && (
              <Link to={`/postings/${posting.id}/edit`}>
                <Button type="primary" icon={<EditOutlined />} data-testid="posting-edit">
                  编辑
                </Button>
              </Link>
            )}
          </>
        }
      />
      <Card variant="borderless" style={{ marginBottom: 16 }} data-testid="posting-detail">
        <Descriptions
          size="small"
          column={{ xs: 1, sm: 2, lg: 3 }}
          styles={{ label: { width: 110 } }}
          items={[
            {
              key: 'employer',
              label: '用人单位',
              span: 2,
              children: (
                <Space size={6}>
                  <Link to={`/employers/${posting.employer.id}`} data-testid="posting-employer">
                    {posting.employer.name}
                  </Link>
                  <Tag color={EMPLOYER_KIND_COLORS[posting.employer.kind]}>{labelOf(EMPLOYER_KIND, posting.employer.kind)}</Tag>
                </Space>
              ),
            },
            { key: 'employerRegion', label: '单位所在地', children: posting.employer.region.fullName },
            {
              key: 'occupation',
              label: '工种',
              span: 2,
              children: (
                <span data-testid="posting-occupation">
                  {posting.occupation.label}
                  <Typography.Text type="secondary" style={{ marginLeft: 6, fontSize: 12 }}>
                    {occupationLabel(posting.occupation.code, { path: true })}（{posting.occupation.code}）
                  </Typography.Text>
                </span>
              ),
            },
            {
              key: 'workRegion',
              label: '工作地点',
              children: <span data-testid="posting-work-region">{posting.workRegion.fullName}</span>,
            },
            { key: 'headcount', label: '招聘人数', children: `${posting.headcount} 人` },
            { key: 'filled', label: '已招人数', children: `${posting.filled} 人` },
            { key: 'openings', label: '尚缺', children: <span data-testid="posting-openings">{posting.openings} 人</span> },
            { key: 'wage', label: '月薪', children: <span data-testid="posting-wage">{wageRange(posting.wageMin, posting.wageMax)}</span> },
            { key: 'board', label: '食宿', children: boardText(posting.food, posting.housing) },
            { key: 'age', label: '年龄', children: `${posting.ageMin}–${posting.ageMax} 岁` },
            { key: 'minEducation', label: '最低学历', children: posting.minEducation ? labelOf(EDUCATION, posting.minEducation) : '不限' },
            { key: 'skills', label: '技能要求', children: list(posting.skills) },
            { key: 'certificates', label: '证书要求', children: list(posting.certificates) },
            { key: 'validity', label: '有效期', children: `${posting.validFrom} 至 ${posting.validTo}` },
            { key: 'reserved', label: '就业扶贫专岗', children: posting.reservedForPoor ? '是（仅限建档立卡贫困劳动力）' : '否' },
            { key: 'updatedAt', label: '更新时间', children: dayjs(posting.updatedAt).format('YYYY-MM-DD HH:mm') },
            {
              key: 'description',
              label: '岗位说明',
              span: 3,
              children: posting.description ? <span style={{ whiteSpace: 'pre-wrap' }}>{posting.description}</span> : none,
            },
          ]}
        />
      </Card>
      {/*
        Candidates for this posting (matching): GET /api/v1/postings/:id/candidates renders here.
        This Card is the slot the matching module fills; keep its data-testid.
      */}
      <div data-testid="posting-candidates-slot">
        <PostingCandidates postingId={posting.id} />
      </div>
      <Modal
        title="停止招聘"
        open={closing}
        okText="停止招聘"
        cancelText="取消"
        okButtonProps={{ danger: true, loading: busy, 'data-testid': 'posting-close-confirm' } as never}
        onOk={close}
        onCancel={() => setClosing(false)}
      >
        <Typography.Paragraph>停止后该岗位不再出现在岗位供给清单中，可随时重新开始招聘。</Typography.Paragraph>
        <Input.TextArea
          maxLength={200}
          showCount
          autoSize={{ minRows: 2, maxRows: 4 }}
          placeholder="原因（可不填），如 已招满、企业暂停招工"
          value={closeReason}
          onChange={(e) => setCloseReason(e.target.value)}
          data-testid="posting-close-reason"
        />
      </Modal>
    </>
  );
}
