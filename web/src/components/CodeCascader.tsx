import { useMemo, type CSSProperties } from 'react';
import { Cascader } from 'antd';
import { occupationCascaderOptions, occupationPath } from '../api/postings.ts';
import { industryCascaderOptions, industryPath } from '../api/employers.ts';

interface CodeOption {
  value: string;
  label: string;
  children?: CodeOption[];
}

export interface CodeCascaderProps {
  /** The selected code (the last value of the cascader's path). */
  value?: string;
  onChange?: (code: string | undefined) => void;
  /** A group may be picked, not only a leaf. */
  changeOnSelect?: boolean;
  placeholder?: string;
  allowClear?: boolean;
  disabled?: boolean;
  style?: CSSProperties;
  /** Set by Form.Item so that `#field` selects the input. */
  id?: string;
  status?: 'error' | 'warning' | '';
  'data-testid'?: string;
}

/**
 * A cascader over a static code table whose value is one code: the occupations of the 2022
 * 职业分类大典 (大类 → 中类 → 小类 → 职业) or the GB/T 4754 industries (门类 → 大类). Searchable by name.
 */
function CodeCascader({
  options,
  pathOf,
  value,
  onChange,
  changeOnSelect,
  placeholder,
  allowClear = true,
  disabled,
  style,
  id,
  status,
  'data-testid': testId,
}: CodeCascaderProps & { options: CodeOption[]; pathOf: (code: string | undefined) => string[] | undefined }) {
  const path = useMemo(() => pathOf(value) ?? (value ? [value] : undefined), [pathOf, value]);
  return (
    <Cascader<CodeOption>
      id={id}
      data-testid={testId}
      options={options}
      value={path}
      onChange={(v) => {
        const list = (v ?? []) as unknown as string[];
        onChange?.(list.length ? list[list.length - 1] : undefined);
      }}
      changeOnSelect={changeOnSelect}
      placeholder={placeholder}
      allowClear={allowClear}
      disabled={disabled}
      status={status}
      style={{ minWidth: 240, ...style }}
      showSearch={{
        filter: (input, p) => p.some((o) => String(o.label).includes(input.trim()) || String(o.value).startsWith(input.trim())),
        // The found entry first, its code and its groups after it: long 大典 paths stay readable.
        render: (_input, p) => {
          const last = p[p.length - 1];
          return (
            <span title={p.map((o) => o.label).join(' / ')}>
              {last?.label}
              <span style={{ color: 'rgba(0,0,0,0.45)', marginLeft: 6, fontSize: 12 }}>
                {last?.value}
                {p.length > 1
                  ? ` · ${p
                      .slice(0, -1)
                      .map((o) => o.label)
                      .join(' / ')}`
                  : ''}
              </span>
            </span>
          );
        },
        matchInputWidth: false,
        limit: 50,
      }}
      popupMatchSelectWidth={false}
      displayRender={(labels) => labels[labels.length - 1] ?? ''}
    />
  );
}

/** The occupation of a posting (职业分类大典 2022); with changeOnSelect a group such as 6-05 may be picked. */
export function OccupationCascader(props: CodeCascaderProps) {
  return (
    <CodeCascader
      {...props}
      options={occupationCascaderOptions()}
      pathOf={occupationPath}
      placeholder={props.placeholder ?? '选择工种（可输入名称搜索）'}
    />
  );
}

/** The industry division (GB/T 4754-2017 大类) of an employer. */
export function IndustryCascader(props: CodeCascaderProps) {
  return (
    <CodeCascader
      {...props}
      options={industryCascaderOptions()}
      pathOf={industryPath}
      placeholder={props.placeholder ?? '选择行业（可输入名称搜索）'}
    />
  );
}
