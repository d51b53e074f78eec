/**
 * Production text gateway: POSTs each message as JSON to the configured URL
 * (`SSCARD_NOTIFY_WEBHOOK`), signed with HMAC-SHA256 over the body under
 * `SSCARD_NOTIFY_WEBHOOK_SECRET` (header `X-Sscard-Signature: sha256=<hex>`). A gateway that does
 * not answer 2xx within the timeout is an error: the holder is told to try again.
 */
import { createHmac } from 'node:crypto';
import { DomainError } from '@sscard/domain';
import type { NotifyAdapter, TextMessage } from './notify-adapter.js';

export class NotifyWebhook implements NotifyAdapter {
  readonly kind = 'webhook' as const;

  constructor(
    private readonly url: string,
    private readonly secret: string,
    private readonly timeoutMs = 5000,
  ) {}

  async send(message: TextMessage): Promise<void> {
    const body = JSON.stringify({
      phone: message.phone,
      text: message.text,
      purpose: message.purpose,
      ...(message.code ? { code: message.code } : {}),
      ...(message.messageId ? { messageId: message.messageId } : {}),
    });
    const signature = createHmac('sha256', this.secret).update(body).digest('hex');
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-sscard-signature': `sha256=${signature}`,
          ...(message.messageId ? { 'idempotency-key': message.messageId } : {}),
        },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch {
      throw new DomainError('NOTIFY_UNAVAILABLE');
    }
    if (!res.ok) throw new DomainError('NOTIFY_UNAVAILABLE');
  }
}
