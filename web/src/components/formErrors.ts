import type { FormInstance } from 'antd';
import { ApiError } from '../api/client.ts';

/**
 * Put a server error next to the form fields it concerns.
 * `byCode` names the field for codes that concern one field (WEAK_PASSWORD → password);
 * VALIDATION_FAILED details (`body.username`) are mapped onto `fields` by name.
 * Returns true when at least one field got the error.
 */
export function applyServerErrors(form: FormInstance, error: unknown, byCode: Record<string, string> = {}, fields: string[] = []): boolean {
  if (!(error instanceof ApiError)) return false;
  const known = new Set([...fields, ...Object.values(byCode)]);
  const updates: { name: string; errors: string[] }[] = [];
  const target = byCode[error.code];
  if (target) updates.push({ name: target, errors: error.problems.length ? error.problems : [error.message] });
  for (const f of error.fieldErrors) {
    const name = f.field.replace(/^(body|querystring|params)\.?/, '').split('.')[0];
    if (known.has(name)) updates.push({ name, errors: [f.message] });
  }
  if (updates.length) form.setFields(updates);
  return updates.length > 0;
}
