import HoverTooltip from './HoverTooltip.tsx';
import { shortVillageName } from '../api/laborers.ts';
import type { RegionLevel } from '../api/types.ts';

/**
 * A region's path in a narrow column: cut at the start, not the end ("…酿溪镇大竹村"), so the
 * village itself stays visible; the whole path and the code in the tooltip. With a viewer, the
 * viewer's own region is left off the front first.
 */
export default function PlaceName({
  fullName,
  code,
  viewer,
}: {
  fullName: string;
  code?: string;
  viewer?: { fullName: string; name: string; level: RegionLevel };
}) {
  const shown = viewer ? shortVillageName(fullName, viewer) : fullName;
  return (
    <HoverTooltip title={code ? `${fullName}（${code}）` : fullName} placement="topLeft">
      <span className="lw-place">{shown}</span>
    </HoverTooltip>
  );
}
