import { describe, expect, it } from 'vitest';
import { redactDeep, redactSecrets, redactText } from './redact.js';
import { ResourceRegistry, resolveResources, resource } from './resource.js';
import { byEnv, env, secret } from './resource-config.js';

const warehouse = resource({
  key: 'warehouse',
  config: {
    url: env('WAREHOUSE_URL'),
    password: secret('WAREHOUSE_PASSWORD'),
    schema: byEnv({ dev: 'dev', prod: 'analytics' }),
  },
  create: (c) => ({ ...c, id: Math.random() }),
});

describe('resources', () => {
  it('resolves env, secret and byEnv, creates once and disposes', async () => {
    const reg = new ResourceRegistry({ WAREHOUSE_URL: 'pg://x', WAREHOUSE_PASSWORD: 's3cr3t', WEIR_ENV: 'prod' });
    const a = await reg.forStep({ warehouse });
    const b = await reg.forStep({ wh: warehouse });
    expect(a.warehouse).toBe(b.wh);
    expect(a.warehouse).toMatchObject({ url: 'pg://x', schema: 'analytics' });
    expect(redactText('pw=s3cr3t!', reg.secrets)).toBe('pw=[redacted:WAREHOUSE_PASSWORD]!');
    expect(redactDeep({ m: ['s3cr3t'] }, reg.secrets)).toEqual({ m: ['[redacted:WAREHOUSE_PASSWORD]'] });
    expect(await reg.disposeAll()).toEqual([]);
  });

  it('a missing variable fails at registration naming resource and variable', () => {
    const reg = new ResourceRegistry({ WAREHOUSE_URL: 'pg://x' });
    expect(() => reg.register(warehouse)).toThrow(/resource "warehouse".*WAREHOUSE_PASSWORD/);
  });
});

describe('resolveResources', () => {
  it('gives instances by the names the step chose; overrides replace them by name, uncreated', async () => {
    let created = 0;
    const counted = resource({ key: 'counted', config: {}, create: () => ({ n: ++created }) });
    const reg = new ResourceRegistry({});
    const a = await resolveResources({ c: counted, d: counted }, reg);
    expect(a.c).toBe(a.d);
    expect(created).toBe(1);
    const fake = { n: -1 };
    const b = await resolveResources({ c: counted, other: warehouse }, reg, { c: fake, other: 'stub' });
    expect(b).toEqual({ c: fake, other: 'stub' });
    expect(created).toBe(1);
    expect(Object.isFrozen(b)).toBe(true);
  });

  it('a registered secret is redacted by redactSecrets in this thread from then on', () => {
    const reg = new ResourceRegistry({ WAREHOUSE_URL: 'pg://x', WAREHOUSE_PASSWORD: 'tHr3adW1de' });
    reg.register(warehouse);
    expect(redactSecrets({ message: 'pw tHr3adW1de', list: ['tHr3adW1de'], n: 1 })).toEqual({
      message: 'pw [redacted:WAREHOUSE_PASSWORD]',
      list: ['[redacted:WAREHOUSE_PASSWORD]'],
      n: 1,
    });
  });
});

describe('a create that fails', () => {
  it('is tried again on next use, and is not disposed', async () => {
    let calls = 0;
    const disposed: number[] = [];
    const flaky = resource({
      key: 'flaky',
      config: {},
      create: () => {
        if (++calls === 1) throw new Error('warehouse down');
        return calls;
      },
      dispose: (n) => void disposed.push(n),
    });
    const reg = new ResourceRegistry({});
    await expect(resolveResources({ flaky }, reg)).rejects.toThrow('warehouse down');
    expect(await resolveResources({ flaky }, reg)).toEqual({ flaky: 2 });
    expect(await reg.disposeAll()).toEqual([]);
    expect(disposed).toEqual([2]);
  });
});
