/** Downloads a ledger or register file (.xlsx, .csv) with the session's token, as a browser download. */
import { clientState } from '../../api/client';
import { ApiError } from '../../api/problem';

export async function downloadFile(path: string, filename: string): Promise<void> {
  const headers: Record<string, string> = { 'accept-language': clientState.language };
  if (clientState.token) headers.authorization = `Bearer ${clientState.token}`;
  const res = await fetch(path, { headers });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { title?: string; detail?: string } | null;
    throw new ApiError(
      {
        type: 'about:blank',
        title: body?.title ?? res.statusText,
        status: res.status,
        ...(body?.detail ? { detail: body.detail } : {}),
      } as never,
      res.status,
    );
  }
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 5000);
}
