import * as echarts from 'echarts/core';
import { BarChart, FunnelChart, LineChart, MapChart, PieChart, SankeyChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

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

export { echarts };
