import { describe, expect, it } from 'vitest';
import { parseAllowedOrigins } from './allowed-origins.js';
import { loadConfig } from './weir-config.js';

describe('WEIR_ALLOWED_ORIGINS', () => {
  it('normalizes origins the way browsers send them', () => {
    expect(parseAllowedOrigins(undefined)).toEqual([]);
    expect(
      parseAllowedOrigins(' https://Weir.Example.com:443/ , http://localhost:5173,https://weir.example.com'),
    ).toEqual(['https://weir.example.com', 'http://localhost:5173']);
    expect(loadConfig({ WEIR_ALLOWED_ORIGINS: 'http://[::1]:3000' }).allowedOrigins).toEqual(['http://[::1]:3000']);
    expect(loadConfig({}).allowedOrigins).toEqual([]);
  });

  it.each([
    ['weir.example.com', 'is not an origin'],
    ['https://weir.example.com/console', 'without a path'],
    ['https://weir.example.com?x=1', 'without a path'],
    ['ftp://weir.example.com', 'not an http:// or https:// origin'],
    ['https://*.example.com', 'wildcard'],
    ['*', 'wildcard'],
    ['https://user:pw@weir.example.com', 'without a path'],
  ])('refuses %s, naming the variable and the entry', (value, problem) => {
    const load = () => loadConfig({ WEIR_ALLOWED_ORIGINS: `https://ok.example.com,${value}` });
    expect(load).toThrow(/^WEIR_ALLOWED_ORIGINS=".*" is invalid: expected comma-separated http\(s\) origins: /);
    expect(load).toThrow(`'${value}'`);
    expect(load).toThrow(problem);
  });
});
