import type { Client } from 'whatsapp-web.js';
import type { DriverStatus } from '../core/connection-state.machine';
import { WhatsAppDriverError } from '../whatsapp-driver.error';
import { WebJsOperationsClient } from './webjs-operations.client';

const NOW = 1_700_000_000_000;

describe('WebJsOperationsClient', () => {
  let status: DriverStatus;
  let client: Record<string, jest.Mock> | undefined;
  let ops: WebJsOperationsClient;

  beforeEach(() => {
    status = 'ready';
    client = {
      sendMessage: jest.fn(async () => ({
        id: { _serialized: 'true_1@c.us_AAA' },
        timestamp: 1_700_000_001,
      })),
      sendReaction: jest.fn(async () => undefined),
      getNumberId: jest.fn(async () => ({ _serialized: '15551234567@c.us' })),
      requestPairingCode: jest.fn(async () => 'ABCD-1234'),
    };
    ops = new WebJsOperationsClient(
      'con_1',
      { client: () => client as unknown as Client | undefined, status: () => status },
      () => NOW,
    );
  });

  const codeOf = async (p: Promise<unknown>): Promise<string> => {
    const err: unknown = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WhatsAppDriverError);
    return (err as WhatsAppDriverError).code;
  };

  it('sends a text and answers with WhatsApp ids and time in ms', async () => {
    await expect(ops.sendMessage('15551234567', { type: 'text', text: 'hi' })).resolves.toEqual({
      messageId: 'true_1@c.us_AAA',
      timestamp: 1_700_000_001_000,
    });
    expect(client!.sendMessage).toHaveBeenCalledWith('15551234567@c.us', 'hi', expect.anything());
  });

  it('refuses to send unless ready', async () => {
    status = 'qr';
    expect(await codeOf(ops.sendMessage('15551234567', { type: 'text', text: 'hi' }))).toBe('not_ready');
    status = 'ready';
    client = undefined;
    expect(await codeOf(ops.checkNumber('15551234567'))).toBe('not_ready');
  });

  it('turns library errors and unknown chats into driver errors', async () => {
    client!.sendMessage!.mockRejectedValueOnce(new Error('Evaluation failed'));
    expect(await codeOf(ops.sendMessage('15551234567', { type: 'text', text: 'hi' }))).toBe('send_failed');
    client!.sendMessage!.mockResolvedValueOnce(undefined);
    expect(await codeOf(ops.sendMessage('15551234567', { type: 'text', text: 'hi' }))).toBe('chat_not_found');
  });

  it('reacts to a message and answers with its id', async () => {
    const result = await ops.sendMessage('15551234567', { type: 'reaction', messageId: 'm1', emoji: '👍' });
    expect(result).toEqual({ messageId: 'm1', timestamp: NOW });
    expect(client!.sendReaction).toHaveBeenCalledWith('m1', '👍');
  });

  it('checks a number', async () => {
    await expect(ops.checkNumber('+1 555 123 4567')).resolves.toEqual({
      registered: true,
      chatId: '15551234567@c.us',
    });
    client!.getNumberId!.mockResolvedValueOnce(null);
    await expect(ops.checkNumber('15551234567')).resolves.toEqual({ registered: false, chatId: null });
  });

  it('asks for a pairing code only while a QR is shown', async () => {
    expect(await codeOf(ops.requestPairingCode('15551234567'))).toBe('not_ready');
    status = 'qr';
    await expect(ops.requestPairingCode('15551234567')).resolves.toBe('ABCD-1234');
    expect(client!.requestPairingCode).toHaveBeenCalledWith('15551234567', true);
  });
});
