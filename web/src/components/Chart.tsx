import { useEffect, useRef, type CSSProperties } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, FunnelChart, LineChart, MapChart, PieChart, SankeyChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { ComposeOption } from 'echarts/core';
import type {
  BarSeriesOption,
  FunnelSeriesOption,
  LineSeriesOption,
  MapSeriesOption,
  PieSeriesOption,
  SankeySeriesOption,
} from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption, VisualMapComponentOption } from 'echarts/components';

// Only the parts the console draws, so the echarts chunk stays small.
echarts.use([
  BarChart,
  PieChart,
  LineChart,
  MapChart,
  SankeyChart,
  FunnelChart,
  GridComponent,
  LegendComponent,
  TooltipComponent,
  VisualMapComponent,
  CanvasRenderer,
]);

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | PieSeriesOption
  | LineSeriesOption
  | MapSeriesOption
  | SankeySeriesOption
  | FunnelSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | TooltipComponentOption
  | VisualMapComponentOption
>;

/** Registers a GeoJSON map under a name once (echarts keeps a global registry). */
export function registerMap(name: string, geoJson: object): void {
  if (!echarts.getMap(name)) echarts.registerMap(name, geoJson as Parameters<typeof echarts.registerMap>[1]);
}

export interface ChartClick {
  name: string;
  data?: unknown;
  seriesType?: string;
}

/** The console's chart: one ECharts instance on a div, resized with its container, disposed on unmount. */
export default function Chart({
  option,
  height = 240,
  style,
  onClick,
  'data-testid': testId,
}: {
  option: ChartOption;
  height?: number;
  style?: CSSProperties;
  /** A click on a data item (a bar, a map region…). */
  onClick?: (event: ChartClick) => void;
  'data-testid'?: string;
}) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const click = useRef(onClick);
  click.current = onClick;

  useEffect(() => {
    if (!element.current) return;
    const instance = echarts.init(element.current, undefined, { renderer: 'canvas' });
    chart.current = instance;
    instance.on('click', (event) => click.current?.({ name: event.name, data: event.data, seriesType: event.seriesType }));
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(element.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return <div ref={element} data-testid={testId} style={{ width: '100%', height, ...style }} />;
}
