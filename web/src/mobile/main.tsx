import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import MobileApp from './MobileApp.tsx';
import './mobile.css';

/**
 * The laborer's page at /m: its own entry point (m.html), built by web/vite.mobile.config.ts for
 * the phones that open it — Android's system WebView inside WeChat — without antd or the router of
 * the staff console, so a slow phone on a slow network can use it within seconds (issue 19 item 5).
 */
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MobileApp />
  </StrictMode>,
);
