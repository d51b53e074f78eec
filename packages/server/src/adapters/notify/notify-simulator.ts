/**
 * The built-in text gateway for development, demos and tests: messages are kept in memory, newest
 * first, for the outbox route (`GET /api/v1/simulator/messages`, only when this adapter is the one
 * configured). Nothing is sent anywhere.
 */
import type { NotifyAdapter, TextMessage } from './notify-adapter.js';

export interface SentMessage extends TextMessage {
  sentAt: Date;
}

const KEEP = 500;

export class NotifySimulator implements NotifyAdapter {
  readonly kind = 'simulator' as const;
  private readonly sent: SentMessage[] = [];

  constructor(private readonly now: () => Date = () => new Date()) {}

  async send(message: TextMessage): Promise<void> {
    this.sent.unshift({ ...message, sentAt: this.now() });
    this.sent.length = Math.min(this.sent.length, KEEP);
  }

  /** The messages sent to one number, newest first. */
  outbox(phone: string): SentMessage[] {
    return this.sent.filter((m) => m.phone === phone);
  }
}
