import { useEffect, useRef, type CSSProperties } from 'react';
import type { ECharts } from 'echarts/core';
import type {
  BarSeriesOption,
  FunnelSeriesOption,
  LineSeriesOption,
  MapSeriesOption,
  PieSeriesOption,
  SankeySeriesOption,
} from 'echarts/charts';
import type { ComposeOption } from 'echarts/core';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption, VisualMapComponentOption } from 'echarts/components';

type Engine = typeof import('./ChartEngine.ts')['echarts'];
let engine: Promise<Engine> | null = null;

/**
 * ECharts (about 200 KB of brotli, 150–250 ms of the main thread to compile and run on this
 * machine) is its own chunk, asked for when the first chart is on the screen and painted — not when a page
 * that has a chart somewhere (a tab, a drawer, a card that waits for its data) is loaded: the page
 * draws its title, filters and tables first, and the charts draw when both it and their data are
 * there. A page made of charts asks for it as it loads (DashboardsPage).
 */
export function chartEngine(): Promise<Engine> {
  engine ??= import('./ChartEngine.ts').then((m) => m.echarts);
  return engine;
}

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

/**
 * ECharts 6 puts a legend at the bottom unless told otherwise, where it lies over the category
 * axis's labels: a chart's legend goes on top unless the chart places it.
 */
function legendOnTop(option: ChartOption): ChartOption {
  const legend = option.legend;
  if (!legend || Array.isArray(legend) || legend.top !== undefined || legend.bottom !== undefined) return option;
  return { ...option, legend: { ...legend, top: 0 } };
}

/** Registers a GeoJSON map under a name once (echarts keeps a global registry). */
export async function registerMap(name: string, geoJson: object): Promise<void> {
  const echarts = await chartEngine();
  if (!echarts.getMap(name)) echarts.registerMap(name, geoJson as Parameters<typeof echarts.registerMap>[1]);
}

/**
 * Runs `draw` in a task of its own once the browser has painted what is on the screen now, one
 * chart after another: drawing a chart takes tens of milliseconds of the main thread, and a page's
 * tables and figures are drawn first, its charts after them (a dashboard's six charts drawn in the
 * commit that showed its data held the whole page back until the last one was done).
 */
let drawing: Promise<void> = Promise.resolve();
/** After the browser has painted the current frame (the task after the next animation frame). */
const painted = () => new Promise<void>((done) => requestAnimationFrame(() => setTimeout(done, 0)));
function afterPaint(draw: () => void): void {
  drawing = drawing.then(
    () =>
      new Promise<void>((done) =>
        requestAnimationFrame(() =>
          setTimeout(() => {
            try {
              draw();
            } finally {
              done();
            }
          }, 0),
        ),
      ),
  );
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
  const chart = useRef<ECharts | null>(null);
  const click = useRef(onClick);
  click.current = onClick;
  const latest = useRef(option);
  latest.current = option;

  useEffect(() => {
    let live = true;
    let stop = () => {};
    // The engine is asked for once the page has painted what it has now (its title, figures and
    // tables): fetching, compiling and running ECharts' chunk took the two cores and the main thread
    // while the page's own content was still to be drawn.
    painted()
      .then(chartEngine)
      .then((echarts) =>
        afterPaint(() => {
          const host = element.current;
          if (!live || !host) return;
          const instance = echarts.init(host, undefined, { renderer: 'canvas' });
          chart.current = instance;
          instance.on('click', (event) => click.current?.({ name: event.name, data: event.data, seriesType: event.seriesType }));
          instance.setOption(legendOnTop(latest.current), { notMerge: true });
          const observer = new ResizeObserver(() => instance.resize());
          observer.observe(host);
          stop = () => {
            observer.disconnect();
            instance.dispose();
            chart.current = null;
          };
        }),
      );
    return () => {
      live = false;
      stop();
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(legendOnTop(option), { notMerge: true });
  }, [option]);

  return <div ref={element} data-testid={testId} style={{ width: '100%', height, ...style }} />;
}
