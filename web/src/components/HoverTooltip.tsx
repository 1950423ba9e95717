import { Tooltip, type TooltipProps } from 'antd';
import { cloneElement, type FocusEvent, type MouseEvent, type ReactElement, useState } from 'react';

type Handlers = { onMouseEnter?: (e: MouseEvent) => void; onFocus?: (e: FocusEvent) => void };

/**
 * antd's Tooltip, put on its child only when the pointer (or the focus) first comes to it. A table
 * cell's tooltip is one of hundreds on a list's first screen, and each antd Tooltip mounts a trigger
 * with its own state, refs and resize observing whether it is ever shown; until then the child is
 * drawn as it is. The child must pass onMouseEnter and onFocus to its element, as antd's own does.
 */
export default function HoverTooltip({ children, ...tooltip }: Omit<TooltipProps, 'children'> & { children: ReactElement<Handlers> }) {
  const [wanted, setWanted] = useState(false);
  if (wanted)
    return (
      <Tooltip defaultOpen {...tooltip}>
        {children}
      </Tooltip>
    );
  const own = children.props;
  return cloneElement(children, {
    onMouseEnter: (e: MouseEvent) => {
      own.onMouseEnter?.(e);
      setWanted(true);
    },
    onFocus: (e: FocusEvent) => {
      own.onFocus?.(e);
      setWanted(true);
    },
  });
}
