import { ApiError } from './client.ts';

/**
 * A multipart upload with progress (fetch cannot report upload progress). Same session cookie,
 * same error envelope as api.* calls: a non-2xx answer becomes an ApiError.
 * Text fields are appended before the files so a streaming server reads them first.
 */
export function uploadForm<T>(
  path: string,
  fields: Record<string, string | undefined>,
  files: Record<string, Blob & { name?: string }>,
  onProgress?: (percent: number) => void,
): { promise: Promise<T>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<T>((resolve, reject) => {
    const body = new FormData();
    for (const [key, value] of Object.entries(fields)) if (value !== undefined) body.append(key, value);
    for (const [key, file] of Object.entries(files)) body.append(key, file, file.name);
    xhr.open('POST', path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress?.(Math.round((e.loaded / e.total) * 100));
    };
    xhr.onload = () => {
      let data: unknown = null;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        data = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(data as T);
      else
        reject(
          new ApiError(
            xhr.status,
            data && typeof data === 'object' && typeof (data as { message?: unknown }).message === 'string' ? data : null,
          ),
        );
    };
    xhr.onerror = () => reject(new ApiError(0, null));
    xhr.onabort = () => reject(new ApiError(0, { code: 'ABORTED', message: '已取消上传' }));
    xhr.send(body);
  });
  return { promise, abort: () => xhr.abort() };
}
