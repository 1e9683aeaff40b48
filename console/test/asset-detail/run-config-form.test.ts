import { describe, expect, it } from 'vitest';
import { configFields, configFromForm, ConfigFormError } from '../../src/assets-detail/run-config-form';

const schema = {
  type: 'object',
  properties: {
    sampleSize: { type: 'integer', minimum: 1, maximum: 9007199254740991, default: 100 },
    window: { type: 'object', properties: { days: { type: 'integer' } }, required: ['days'] },
    dryRun: { type: 'boolean', default: false },
    tags: { type: 'array', items: { type: 'string' } },
  },
  required: ['window'],
};

describe('run config form', () => {
  it('flattens nested objects into dotted fields and keeps defaults and meaningful bounds', () => {
    const fields = configFields(schema);
    expect(fields.map((f) => [f.label, f.kind, f.required, f.initial])).toEqual([
      ['sampleSize', 'integer', false, '100'],
      ['window.days', 'integer', true, ''],
      ['dryRun', 'boolean', false, 'false'],
      ['tags', 'json', false, ''],
    ]);
    expect(fields[0]).toMatchObject({ min: 1, max: undefined });
  });

  it('builds the nested config, leaving empty fields to the defaults', () => {
    const fields = configFields(schema);
    expect(configFromForm(fields, { sampleSize: '', 'window.days': 7, dryRun: 'true', tags: '["a"]' })).toEqual({
      window: { days: 7 },
      dryRun: true,
      tags: ['a'],
    });
  });

  it('names the field whose text cannot be parsed', () => {
    const fields = configFields(schema);
    expect(() => configFromForm(fields, { tags: '[oops' })).toThrow(ConfigFormError);
    expect(() => configFromForm(fields, { tags: '[oops' })).toThrow('tags: not valid JSON');
  });

  it('offers one JSON field when the schema is not an object or is unknown', () => {
    const [field] = configFields(null);
    expect(field).toMatchObject({ kind: 'json', path: [] });
    expect(configFromForm([field!], { '(config)': '{"a": 1}' })).toEqual({ a: 1 });
  });
});
