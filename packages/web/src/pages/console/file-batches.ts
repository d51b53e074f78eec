/**
 * Return files (a bank's, a vendor's) uploaded as the raw body of a request, with the session's
 * token; the answer names the queued import job (followed with JobProgress).
 */
import { clientState } from '../../api/client';
import { ApiError, isProblem } from '../../api/problem';

export interface ReturnUploadAnswer {
  fileId: string;
  batchId: string;
  jobId: string | null;
  result: Record<string, number | string> | null;
}

export async function uploadReturnFile(path: string, file: File): Promise<ReturnUploadAnswer> {
  return (await uploadFileRaw(path, file)) as ReturnUploadAnswer;
}

/** Any upload route (http/upload.ts): the file's bytes as the raw body, its name in a header. */
export async function uploadFileRaw(path: string, file: File): Promise<unknown> {
  const headers: Record<string, string> = {
    'accept-language': clientState.language,
    'content-type': 'application/octet-stream',
    'x-filename': encodeURIComponent(file.name),
    'idempotency-key': crypto.randomUUID(),
  };
  if (clientState.token) headers.authorization = `Bearer ${clientState.token}`;
  const res = await fetch(path, { method: 'POST', headers, body: await file.arrayBuffer() });
  const body = (await res.json().catch(() => null)) as unknown;
  if (!res.ok)
    throw new ApiError(
      isProblem(body)
        ? body
        : ({ type: 'about:blank', title: res.statusText, status: res.status } as never),
      res.status,
    );
  return body;
}
