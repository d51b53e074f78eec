/**
 * Text messages to holders (短信): one-time codes and notices. sscard sends through this
 * interface; the protocol of the production connector (an HTTP webhook) is in
 * docs/adapters/notify.md. A message never appears in sscard's logs.
 */
export interface TextMessage {
  /** The mobile number, as on the person's record. */
  phone: string;
  text: string;
  /** What the message is for (`sign_in`, `ward_consent`): lets a gateway pick a template. */
  purpose: string;
  /** A one-time code the message carries, for gateways that template it themselves. */
  code?: string;
  /**
   * The outbox message's id (notifications): the same on every attempt, so a gateway drops a
   * message it already has (a node that died after the gateway took it sends it again).
   */
  messageId?: string;
}

export interface NotifyAdapter {
  readonly kind: 'simulator' | 'webhook';
  send(message: TextMessage): Promise<void>;
}
