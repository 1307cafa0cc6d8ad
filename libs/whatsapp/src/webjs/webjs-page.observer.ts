import type { Client } from 'whatsapp-web.js';

export type WebJsPage = NonNullable<Client['pupPage']>;
export type WebJsBrowser = NonNullable<Client['pupBrowser']>;

/**
 * Test hook: told about every page the webjs driver opens, before WhatsApp Web loads. The
 * integration tests use it to drive the fake WhatsApp Web page (scan, inbound messages, acks).
 * Production code never provides one.
 */
export abstract class WebJsPageObserver {
  abstract pageOpened(connectionId: string, page: WebJsPage, browser: WebJsBrowser): void;
}
