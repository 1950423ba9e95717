import { useCallback, useEffect, useRef, useState, type CSSProperties } from 'react';
import { Cascader } from 'antd';
import { regionChildren, regionDetail } from '../api/regions.ts';
import { LEVEL_LABELS, LEVEL_ORDER } from '../api/labels.ts';
import { ABROAD_REGION, isAbroad } from '../../../contracts/abroad.ts';
import type { Region, RegionLevel } from '../api/types.ts';

export interface RegionPick {
  code: string;
  name: string;
  level: RegionLevel;
  fullName?: string;
}

export interface RegionCascaderProps {
  /** The selected region code. */
  value?: string;
  onChange?: (code: string | undefined, region?: RegionPick) => void;
  /** Start at this region (it is the first option, so it can be picked itself); default: the provinces. */
  rootCode?: string;
  /** Deepest level offered. */
  maxLevel?: RegionLevel;
  /** Any level may be picked, not only the deepest. */
  changeOnSelect?: boolean;
  placeholder?: string;
  allowClear?: boolean;
  disabled?: boolean;
  style?: CSSProperties;
  className?: string;
  /** Set by Form.Item so that `#field` selects the input. */
  id?: string;
  status?: 'error' | 'warning' | '';
  'data-testid'?: string;
}

interface RegionOption {
  value: string;
  label: string;
  level: RegionLevel;
  fullName?: string;
  isLeaf: boolean;
  loading?: boolean;
  children?: RegionOption[];
}

const depth = (level: RegionLevel) => LEVEL_ORDER.indexOf(level);

/** Every prefix of a statistical code that is a region code: 430522107 → 43, 4305, 430522, 430522107. */
function pathOf(code: string): string[] {
  return [2, 4, 6, 9, 12].filter((n) => n <= code.length).map((n) => code.slice(0, n));
}

/**
 * The one region picker of the console: a lazily loaded cascader over 省/市/县/乡镇/村.
 * With `rootCode` it starts at that region (its own subtree only); otherwise at the provinces.
 */
export default function RegionCascader({
  value,
  onChange,
  rootCode,
  maxLevel = 'village',
  changeOnSelect = false,
  placeholder,
  allowClear = true,
  disabled,
  style,
  className,
  id,
  status,
  'data-testid': testId,
}: RegionCascaderProps) {
  const [options, setOptions] = useState<RegionOption[]>([]);
  const [path, setPath] = useState<string[]>([]);
  const [rootLoading, setRootLoading] = useState(true);
  /** Bumped whenever the first column is (re)built, so the value path is rebuilt too. */
  const [treeVersion, setTreeVersion] = useState(0);
  const index = useRef(new Map<string, RegionOption>());
  const rootReady = useRef<Promise<void> | null>(null);

  const toOption = useCallback(
    (r: Pick<Region, 'code' | 'name' | 'level' | 'hasChildren'> & { fullName?: string }): RegionOption => {
      const option: RegionOption = {
        value: r.code,
        label: r.name,
        level: r.level,
        fullName: r.fullName,
        isLeaf: !r.hasChildren || depth(r.level) >= depth(maxLevel),
      };
      index.current.set(r.code, option);
      return option;
    },
    [maxLevel],
  );

  /** Load the first column: the root region itself, or the provinces. */
  useEffect(() => {
    let cancelled = false;
    index.current = new Map();
    setRootLoading(true);
    const load = async () => {
      const first = rootCode ? [toOption(await regionDetail(rootCode))] : (await regionChildren()).map(toOption);
      if (!cancelled) setOptions(first);
    };
    const ready = load()
      .catch(() => {
        if (!cancelled) setOptions([]);
      })
      .finally(() => {
        if (!cancelled) {
          setRootLoading(false);
          setTreeVersion((v) => v + 1);
        }
      });
    rootReady.current = ready;
    return () => {
      cancelled = true;
    };
  }, [rootCode, toOption]);

  const loadChildren = useCallback(
    async (option: RegionOption) => {
      if (option.children || option.isLeaf) return;
      const items = await regionChildren(option.value);
      option.children = items.map(toOption);
      if (!option.children.length) option.isLeaf = true;
    },
    [toOption],
  );

  /** Show an initial or externally set value: make sure every column along its path is loaded. */
  useEffect(() => {
    let cancelled = false;
    if (!value) {
      setPath([]);
      return;
    }
    if (path[path.length - 1] === value && index.current.has(value)) return;
    (async () => {
      await rootReady.current;
      const full = pathOf(value);
      const start = rootCode ? full.indexOf(rootCode) : 0;
      const wanted = start >= 0 ? full.slice(start) : [value];
      for (const code of wanted.slice(0, -1)) {
        const option = index.current.get(code);
        if (!option) break;
        try {
          await loadChildren(option);
        } catch {
          break;
        }
      }
      if (!index.current.get(value)) {
        // Not reachable from the root (or not loaded): still show its name.
        try {
          const detail = await regionDetail(value);
          if (!cancelled && !index.current.has(value))
            index.current.set(value, { value, label: detail.fullName, level: detail.level, isLeaf: true });
        } catch {
          /* keep the code as its label */
        }
      }
      if (cancelled) return;
      setOptions((prev) => [...prev]);
      setPath(wanted.every((c) => index.current.has(c)) && start >= 0 ? wanted : [value]);
    })();
    return () => {
      cancelled = true;
    };
  }, [value, treeVersion]);

  const loadData = useCallback(
    (selected: RegionOption[]) => {
      const target = selected[selected.length - 1];
      if (!target || target.children || target.isLeaf) return;
      target.loading = true;
      setOptions((prev) => [...prev]);
      loadChildren(target)
        .catch(() => {
          target.children = undefined;
        })
        .finally(() => {
          target.loading = false;
          setOptions((prev) => [...prev]);
        });
    },
    [loadChildren],
  );

  const handleChange = (codes: string[] | undefined) => {
    const list = (codes ?? []) as string[];
    setPath(list);
    const code = list[list.length - 1];
    if (!code) {
      onChange?.(undefined);
      return;
    }
    const option = index.current.get(code);
    onChange?.(code, option ? { code, name: option.label, level: option.level, fullName: option.fullName } : undefined);
  };

  const levelHint = rootCode ? '' : '省 / 市 / 县 / 乡镇 / 村';
  return (
    <Cascader<RegionOption>
      id={id}
      data-testid={testId}
      className={className}
      style={{ minWidth: 240, ...style }}
      options={options}
      value={path.length ? path : undefined}
      onChange={(v) => handleChange(v as unknown as string[] | undefined)}
      loadData={loadData}
      changeOnSelect={changeOnSelect}
      placeholder={placeholder ?? (rootLoading ? '正在加载行政区划…' : `请选择行政区划${levelHint ? `（${levelHint}）` : ''}`)}
      allowClear={allowClear}
      disabled={disabled}
      status={status}
      displayRender={(labels, selected) =>
        labels.map((label, i) => (selected?.[i] ? label : (index.current.get(path[i])?.label ?? label))).join(' / ')
      }
      optionRender={(option) => (
        <span>
          {option.label}
          {option.level && (
            <span style={{ color: 'rgba(0,0,0,0.35)', marginLeft: 6, fontSize: 12 }}>
              {/* 境外 and its countries (code 99…) are places of work, not levels of China's division. */}
              {isAbroad(String(option.value))
                ? option.value === ABROAD_REGION
                  ? '出国（境）务工'
                  : '国家或地区'
                : LEVEL_LABELS[option.level]}
            </span>
          )}
        </span>
      )}
      notFoundContent={rootLoading ? '加载中…' : '暂无数据'}
    />
  );
}
