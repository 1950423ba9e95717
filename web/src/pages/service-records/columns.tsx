import { Tag } from 'antd';
import { SERVICE_RECORD_COLUMNS } from '../../../../contracts/columns/service-records.ts';
import { SERVICE_KIND, SERVICE_KIND_COLOR, type ServiceRecord } from '../../api/service-records.ts';
import type { RegionRef } from '../../api/types.ts';
import { columnsOf, type FilterField, param, type ScreenColumn } from '../../components/list/index.ts';
import { chinaNow } from '../../app/format.ts';

export const kindOptions = SERVICE_KIND.codes.map((k) => ({ value: k, label: SERVICE_KIND.labels[k] }));

/** The records' filters as the URL keeps them; the period is this year so far unless it names one. */
export const SERVICE_FILTERS = {
  region: param.regionCode,
  from: param.day,
  to: param.day,
  kind: param.oneOf(SERVICE_KIND.codes),
};
export const defaultPeriod = (): [string, string] => [chinaNow().startOf('year').format('YYYY-MM-DD'), chinaNow().format('YYYY-MM-DD')];

export const serviceFilterFields = (viewer: RegionRef): FilterField[] => [
  { kind: 'region', name: 'region', rootCode: viewer.code, width: 280, testId: 'service-region' },
  { kind: 'period', names: ['from', 'to'], label: '期间', defaults: defaultPeriod(), testId: 'service-period' },
  { kind: 'select', name: 'kind', label: '类别', width: 140, options: kindOptions, testId: 'service-kind' },
];

const col = columnsOf<ServiceRecord, typeof SERVICE_RECORD_COLUMNS>(SERVICE_RECORD_COLUMNS);

/** The records' table: the titles are the export's (contracts/columns/service-records.ts). */
export const serviceColumns: ScreenColumn<ServiceRecord>[] = [
  col('servedOn', { width: 110 }),
  col('laborer', {
    render: (_, r) => (
      <span>
        {r.laborer.name} <span style={{ color: '#999' }}>{r.laborer.idNumberMasked}</span>
      </span>
    ),
  }),
  col('village', { render: (_, r) => r.laborer.villageName }),
  col('kind', {
    render: (k: string) => <Tag color={SERVICE_KIND_COLOR[k]}>{SERVICE_KIND.labels[k as keyof typeof SERVICE_KIND.labels]}</Tag>,
  }),
  col('content', {
    render: (_, r) =>
      r.kind === 'training'
        ? `${r.course}，${r.hours} 课时${r.certificate ? `，取得${r.certificate}` : ''}`
        : [r.content, r.posting ? `岗位：${r.posting.title}` : null].filter(Boolean).join('；'),
  }),
  col('provider'),
  col('recordedBy'),
];
