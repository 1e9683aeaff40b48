import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asset } from '../sdk/asset.js';
import { check } from '../sdk/check.js';
import { AssetDefinitionError } from '../sdk/definition-error.js';
import { resource } from '../sdk/resource.js';
import { env, secret } from '../sdk/resource-config.js';
import { sensor } from '../sdk/sensor.js';
import { projectResources, resourceEnvironment } from './project-resources.js';

const api = resource({ key: 'api', config: { token: secret('API_TOKEN'), base: env('API_BASE') }, create: (c) => c });
const used = asset({ key: 'p/used', resources: { api }, materialize: () => 1 });
const checked = asset({
  key: 'p/checked',
  checks: [check('reachable', () => true, { resources: { api } })],
  materialize: () => 1,
});
const watcher = sensor({ name: 'watch', interval: '1m', resources: { api }, evaluate: () => ({}) });

describe('projectResources', () => {
  it('resolves each resource once, whoever uses it', () => {
    const registry = projectResources([used, checked], [watcher], { API_TOKEN: 't0ken', API_BASE: 'https://x' });
    expect(registry.secrets).toEqual([{ name: 'API_TOKEN', value: 't0ken' }]);
  });

  it('a missing variable names the resource, the variable and every user', () => {
    const load = () => projectResources([used, checked], [watcher], { API_BASE: 'https://x' });
    expect(load).toThrow(AssetDefinitionError);
    expect(load).toThrow(/resource "api": environment variable API_TOKEN is not set \(config token\); it is used by/);
    expect(load).toThrow(/p\/used \(defined at .*\n.*p\/checked \(check 'reachable'\).*\n.*sensor:watch/);
  });

  it('an unused resource is not resolved', () => {
    const idle = asset({ key: 'p/idle', materialize: () => 1 });
    expect(projectResources([idle], [], {}).secrets).toEqual([]);
  });
});

describe('resourceEnvironment', () => {
  it('reads weir.env, then weir.<WEIR_ENV>.env, then the process environment, each over the last', () => {
    const dir = mkdtempSync(join(tmpdir(), 'weir-resource-env-'));
    try {
      writeFileSync(join(dir, 'weir.env'), 'API_BASE=https://base\nAPI_TOKEN=from-file # comment\n');
      writeFileSync(join(dir, 'weir.prod.env'), 'API_BASE="https://prod"\n');
      expect(resourceEnvironment(dir, { WEIR_ENV: 'prod' })).toMatchObject({
        API_BASE: 'https://prod',
        API_TOKEN: 'from-file',
      });
      expect(resourceEnvironment(dir, {})).toMatchObject({ API_BASE: 'https://base' });
      expect(resourceEnvironment(dir, { WEIR_ENV: 'prod', API_BASE: 'https://shell' }).API_BASE).toBe('https://shell');
      const registry = projectResources([used], [], resourceEnvironment(dir, { WEIR_ENV: 'prod' }));
      expect(registry.secrets).toEqual([{ name: 'API_TOKEN', value: 'from-file' }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
