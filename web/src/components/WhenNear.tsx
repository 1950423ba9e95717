import { Suspense, useEffect, useRef, useState, type ReactNode } from 'react';
import { flushSync } from 'react-dom';

/**
 * Mounts its children once their place comes within `margin` of the screen — scrolled to, or the
 * window is tall enough — or when the page is printed; until then an empty box of `minHeight` keeps
 * their place. For the cards below a page's first screen: each asks the server for its own figures
 * and draws tables and charts, work the browser's one main thread would otherwise do before the
 * first screen is there to read (the statistics page's five lower cards). Children loaded with
 * React's `lazy` (a card with a chart: ECharts is a chunk of its own) keep the empty box while
 * their code arrives.
 */
export default function WhenNear({
  minHeight,
  margin = 300,
  children,
  testId,
}: {
  minHeight: number;
  margin?: number;
  children: ReactNode;
  testId?: string;
}) {
  const place = useRef<HTMLDivElement>(null);
  const [near, setNear] = useState(() => typeof IntersectionObserver === 'undefined');
  useEffect(() => {
    if (near || !place.current) return;
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && setNear(true), {
      rootMargin: `${margin}px 0px`,
    });
    observer.observe(place.current);
    // Printing draws the whole page: mount now, before the browser lays it out for paper.
    const print = () => flushSync(() => setNear(true));
    window.addEventListener('beforeprint', print);
    return () => {
      observer.disconnect();
      window.removeEventListener('beforeprint', print);
    };
  }, [near, margin]);
  const box = <div ref={place} style={{ minHeight }} data-testid={testId} />;
  return near ? <Suspense fallback={box}>{children}</Suspense> : box;
}
