import { Alert } from 'antd';
import { ApiError } from '../api/client.ts';

/** A server error as an Alert: the Chinese message, and the list of problems when the server gave one. */
export default function ErrorAlert({ error, testId, onClose }: { error: unknown; testId?: string; onClose?: () => void }) {
  if (!error) return null;
  const apiError = error instanceof ApiError ? error : null;
  const problems = apiError?.problems ?? [];
  const fields = apiError && Array.isArray(apiError.details) ? apiError.fieldErrors : [];
  const extra = problems.length ? problems : fields.map((f) => `${f.field.replace(/^(body|querystring|params)\./, '')}：${f.message}`);
  // WEAK_PASSWORD's message already lists the problems after a colon: keep the headline, list them below.
  const message = apiError?.message ?? '操作失败，请稍后再试';
  const title = problems.length && message.includes('：') ? message.slice(0, message.indexOf('：')) : message;
  return (
    <Alert
      type="error"
      showIcon
      data-testid={testId}
      style={{ marginBottom: 16 }}
      title={title}
      description={
        extra.length ? (
          <ul style={{ margin: 0, paddingInlineStart: 20 }}>
            {extra.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        ) : undefined
      }
      closable={onClose ? { onClose } : undefined}
    />
  );
}
