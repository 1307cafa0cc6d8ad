import { GatewayCommandRegistry } from './gateway-command.registry';

describe('GatewayCommandRegistry', () => {
  it('registers one handler per gateway command type', () => {
    const registry = new GatewayCommandRegistry();
    const handler = async () => undefined;
    registry.register('gateway.message.send', handler);
    expect(registry.get('gateway.message.send')).toBe(handler);
    expect(registry.get('gateway.other')).toBeUndefined();
    expect(registry.types).toEqual(['gateway.message.send']);
    expect(() => registry.register('gateway.message.send', handler)).toThrow(/already registered/);
    expect(() => registry.register('message.send', handler)).toThrow(/start with "gateway\."/);
  });
});
