import { describe, expect, it } from 'vitest';
import { redactDeep, redactText } from './redact.js';
import { ResourceRegistry, resource } from './resource.js';
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
