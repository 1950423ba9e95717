import { ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import { Button, DatePicker, Form, Input, InputNumber, Select, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { type ReactNode, useEffect, useState } from 'react';
import RegionCascader from '../RegionCascader.tsx';

type Value = string | number | undefined;

/** One filter of a list's bar; `name` is its URL parameter (and the API's query parameter). */
export type FilterField =
  | { kind: 'select'; name: string; label: string; options: { value: string; label: string }[]; width?: number; testId?: string }
  /** Text applied on Enter or the search button, not on each keystroke. */
  | { kind: 'search'; name: string; placeholder: string; width?: number; maxLength?: number; testId?: string; submitTestId?: string }
  /** A region; picking `rootCode` itself means all of it (no filter). Without rootCode, the whole country. */
  | { kind: 'region'; name: string; label?: string; rootCode?: string; placeholder?: string; width?: number; testId?: string }
  /** A number applied when the field is left or Enter is pressed. */
  | {
      kind: 'number';
      name: string;
      label: string;
      min: number;
      max: number;
      step?: number;
      suffix?: string;
      placeholder?: string;
      width?: number;
      testId?: string;
    }
  | { kind: 'day'; name: string; label: string; placeholder?: string; disabledDate?: (d: Dayjs) => boolean; testId?: string }
  /** A period of two day parameters; `defaults` is what the list shows when the URL names none. */
  | { kind: 'period'; names: [string, string]; label: string; defaults: [string, string]; testId?: string }
  /** A whole-number range of two parameters, applied when the field is left or Enter is pressed. */
  | {
      kind: 'range';
      names: [string, string];
      label: string;
      min: number;
      max: number;
      testIds?: [string, string];
    }
  /** Anything particular to one page, placed in the bar. */
  | { kind: 'node'; key: string; label?: string; node: ReactNode };

/** What FilterBar needs of a useListQuery. */
export interface FilteredList {
  filters: Record<string, Value>;
  setFilters: (patch: Record<string, Value | null>) => void;
  reset: () => void;
  hasFilters: boolean;
  sort?: string;
}

/**
 * A list's filter bar: the fields a page declares (usually beside its columns in
 * pages/<domain>/columns.tsx), each writing its URL parameter through the useListQuery, and a
 * 重置 that clears them all. A region picked equal to `rootCode` means "all of mine" and is left out.
 */
export default function FilterBar({
  list,
  fields,
  name,
  extra,
}: {
  list: FilteredList;
  fields: (FilterField | false | null | undefined)[];
  /** The form's name (its fields' ids). */
  name: string;
  extra?: ReactNode;
}) {
  return (
    <Form name={name} layout="inline" style={{ rowGap: 12, marginBottom: 16 }} onSubmitCapture={(e) => e.preventDefault()}>
      {fields
        .filter((f): f is FilterField => Boolean(f))
        .map((f) => (
          <Field
            key={f.kind === 'node' ? f.key : f.kind === 'range' || f.kind === 'period' ? f.names.join('-') : f.name}
            field={f}
            list={list}
          />
        ))}
      {extra}
      <Form.Item style={{ marginInlineEnd: 0 }}>
        <Button icon={<ReloadOutlined />} disabled={!list.hasFilters && !list.sort} onClick={list.reset}>
          重置
        </Button>
      </Form.Item>
    </Form>
  );
}

function Field({ field: f, list }: { field: FilterField; list: FilteredList }) {
  const set = (name: string, value: Value | null) => list.setFilters({ [name]: value });
  switch (f.kind) {
    case 'select':
      return (
        <Form.Item label={f.label}>
          <Select
            allowClear
            placeholder="全部"
            style={{ width: f.width ?? 120 }}
            value={list.filters[f.name] as string | undefined}
            options={f.options}
            onChange={(v) => set(f.name, v)}
            data-testid={f.testId}
          />
        </Form.Item>
      );
    case 'search':
      return <SearchField field={f} value={list.filters[f.name] as string | undefined} onApply={(v) => set(f.name, v)} />;
    case 'region':
      return (
        <Form.Item label={f.label ?? '区划'}>
          <RegionCascader
            rootCode={f.rootCode}
            changeOnSelect
            value={list.filters[f.name] as string | undefined}
            placeholder={f.placeholder ?? '全部（本辖区）'}
            style={{ width: f.width ?? 250 }}
            onChange={(code) => set(f.name, f.rootCode && code === f.rootCode ? undefined : code)}
            data-testid={f.testId}
          />
        </Form.Item>
      );
    case 'day': {
      const v = list.filters[f.name] as string | undefined;
      return (
        <Form.Item label={f.label}>
          <DatePicker
            allowClear
            placeholder={f.placeholder ?? '选择日期'}
            style={{ width: 140 }}
            value={v ? dayjs(v) : null}
            disabledDate={f.disabledDate}
            onChange={(d) => set(f.name, d ? d.format('YYYY-MM-DD') : undefined)}
            data-testid={f.testId}
          />
        </Form.Item>
      );
    }
    case 'range':
      return <RangeField field={f} list={list} />;
    case 'number':
      return <NumberField field={f} list={list} />;
    case 'period': {
      const [fromName, toName] = f.names;
      const from = (list.filters[fromName] as string | undefined) ?? f.defaults[0];
      const to = (list.filters[toName] as string | undefined) ?? f.defaults[1];
      return (
        <Form.Item label={f.label}>
          <DatePicker.RangePicker
            value={[dayjs(from), dayjs(to)]}
            allowClear={false}
            onChange={(v) => {
              if (v?.[0] && v[1]) list.setFilters({ [fromName]: v[0].format('YYYY-MM-DD'), [toName]: v[1].format('YYYY-MM-DD') });
            }}
            data-testid={f.testId}
          />
        </Form.Item>
      );
    }
    case 'node':
      return f.label ? <Form.Item label={f.label}>{f.node}</Form.Item> : <Form.Item>{f.node}</Form.Item>;
  }
}

function SearchField({
  field: f,
  value,
  onApply,
}: {
  field: Extract<FilterField, { kind: 'search' }>;
  value: string | undefined;
  onApply: (v: string | undefined) => void;
}) {
  // Typed text stays local until applied; the URL's value (a reload, back) is shown again when it changes.
  const [text, setText] = useState(value ?? '');
  useEffect(() => setText(value ?? ''), [value]);
  const apply = () => onApply(text.trim() || undefined);
  return (
    <Form.Item>
      <Space.Compact>
        <Input
          allowClear
          placeholder={f.placeholder}
          maxLength={f.maxLength ?? 30}
          style={{ width: f.width ?? 240 }}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            if (!e.target.value && value) onApply(undefined);
          }}
          onPressEnter={apply}
          data-testid={f.testId}
        />
        <Button type="primary" icon={<SearchOutlined />} aria-label="搜索" onClick={apply} data-testid={f.submitTestId} />
      </Space.Compact>
    </Form.Item>
  );
}

function RangeField({ field: f, list }: { field: Extract<FilterField, { kind: 'range' }>; list: FilteredList }) {
  const [lowName, highName] = f.names;
  const low = list.filters[lowName] as number | undefined;
  const high = list.filters[highName] as number | undefined;
  const [from, setFrom] = useState<number | null>(low ?? null);
  const [to, setTo] = useState<number | null>(high ?? null);
  useEffect(() => setFrom(low ?? null), [low]);
  useEffect(() => setTo(high ?? null), [high]);
  const apply = () => {
    if (from === (low ?? null) && to === (high ?? null)) return;
    list.setFilters({ [lowName]: from ?? undefined, [highName]: to ?? undefined });
  };
  const input = (value: number | null, onChange: (v: number | null) => void, placeholder: string, testId?: string) => (
    <InputNumber
      min={f.min}
      max={f.max}
      precision={0}
      placeholder={placeholder}
      style={{ width: 72 }}
      value={value}
      onChange={(v) => onChange(typeof v === 'number' ? v : null)}
      onBlur={apply}
      onPressEnter={apply}
      data-testid={testId}
    />
  );
  return (
    <Form.Item label={f.label}>
      <Space.Compact>
        {input(from, setFrom, '最小', f.testIds?.[0])}
        <Input disabled placeholder="~" style={{ width: 32, textAlign: 'center', pointerEvents: 'none' }} />
        {input(to, setTo, '最大', f.testIds?.[1])}
      </Space.Compact>
    </Form.Item>
  );
}

function NumberField({ field: f, list }: { field: Extract<FilterField, { kind: 'number' }>; list: FilteredList }) {
  const applied = list.filters[f.name] as number | undefined;
  const [value, setValue] = useState<number | null>(applied ?? null);
  useEffect(() => setValue(applied ?? null), [applied]);
  const apply = () => {
    if (value !== (applied ?? null)) list.setFilters({ [f.name]: value ?? undefined });
  };
  return (
    <Form.Item label={f.label}>
      <InputNumber
        min={f.min}
        max={f.max}
        step={f.step}
        precision={0}
        suffix={f.suffix}
        placeholder={f.placeholder}
        style={{ width: f.width ?? 130 }}
        value={value}
        onChange={(v) => setValue(typeof v === 'number' ? v : null)}
        onBlur={apply}
        onPressEnter={apply}
        data-testid={f.testId}
      />
    </Form.Item>
  );
}
