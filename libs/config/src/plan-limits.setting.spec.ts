import { join } from 'node:path';
import { ConfigValidationError, loadConfig } from './config.loader';
import { planLimitOverrides } from './plan-limits.setting';

const CONFIG_DIR = join(__dirname, '../../../config');
const base = { ADMIN_API_KEY: 'x'.repeat(40) };

describe('PLAN_LIMITS', () => {
  it('is empty by default (config/default.json): the built-in limits apply', () => {
    expect(loadConfig(base, CONFIG_DIR).planLimits).toEqual({});
  });

  it('parses per-plan overrides, null meaning unlimited', () => {
    const config = loadConfig(
      { ...base, PLAN_LIMITS: '{"starter":{"pendingMessages":200,"sseStreams":null},"enterprise":{}}' },
      CONFIG_DIR,
    );
    expect(config.planLimits).toEqual({
      starter: { pendingMessages: 200, sseStreams: null },
      enterprise: {},
    });
  });

  it('stops the boot naming every unknown plan, unknown resource and bad value', () => {
    let error: unknown;
    try {
      loadConfig(
        {
          ...base,
          PLAN_LIMITS:
            '{"gold":{},"starter":{"pendingMesages":1,"mediaBytes":-1,"sseStreams":1.5,"apiKeys":"2"}}',
        },
        CONFIG_DIR,
      );
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    const [problem] = (error as ConfigValidationError).problems;
    expect(problem).toMatch(/^PLAN_LIMITS /);
    expect(problem).toContain('unknown plan "gold"');
    expect(problem).toContain('starter: unknown resource "pendingMesages"');
    expect(problem).toContain('starter.mediaBytes must be an integer >= 0 or null');
    expect(problem).toContain('starter.sseStreams must be an integer >= 0 or null');
    expect(problem).toContain('starter.apiKeys must be an integer >= 0 or null');
  });

  it('refuses what is not a JSON object of objects', () => {
    expect(() => planLimitOverrides('{starter:1}')).toThrow(/must be a JSON object/);
    expect(() => planLimitOverrides('[1]')).toThrow(/must be a JSON object of plans/);
    expect(() => planLimitOverrides('{"starter":5}')).toThrow(/starter must be an object of resource limits/);
    expect(planLimitOverrides('')).toEqual({});
  });
});
