import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import FieldApp from './FieldApp.tsx';
import './field.css';

/**
 * The field officer's phone pages at /field: their own entry point (field.html), built by
 * web/vite.field.config.ts without antd, and kept by a service worker so they open with no signal.
 */
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/field-sw.js', { scope: '/field' }).catch(() => undefined);
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <FieldApp />
  </StrictMode>,
);
