import { describe, expect, it } from 'vitest';
import { asset } from './asset.js';
import { MAX_ASSET_KEY_LENGTH } from './asset-metadata.js';

describe('asset keys have a length limit', () => {
  it(`accepts ${MAX_ASSET_KEY_LENGTH} characters and refuses one more, naming the limit and the definition`, () => {
    const longest = `a/${'k'.repeat(MAX_ASSET_KEY_LENGTH - 2)}`;
    expect(asset({ key: longest, materialize: () => 1 }).key).toBe(longest);
    const tooLong = `${longest}k`;
    let error: Error & { culprits?: Array<{ key: string; definedAt: string }> } = new Error('not thrown');
    try {
      asset({ key: tooLong, materialize: () => 1 });
    } catch (caught) {
      error = caught as typeof error;
    }
    expect(error.name).toBe('AssetDefinitionError');
    expect(error.message).toMatch(/is 513 characters long; the limit is 512/);
    // The message names where it was defined and does not repeat the whole key.
    expect(error.message).not.toContain(tooLong);
    expect(error.message.length).toBeLessThan(400);
    expect(error.message).toContain(`(defined at ${error.culprits?.[0]?.definedAt})`);
  });
});
