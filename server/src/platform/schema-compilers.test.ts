import { describe, expect, it } from 'vitest';
import { schemaCompilers } from './schema-compilers.ts';

const options = { customOptions: { removeAdditional: false, coerceTypes: 'array' as const, useDefaults: true, allErrors: false } };
const validator = (schema: object) =>
  schemaCompilers.buildValidator!({}, options)({ schema, method: 'GET', url: '/x', httpPart: 'querystring' }) as (data: unknown) => boolean;

describe('schema compilers kept for the process', () => {
  it('a second app gets the validator already compiled for the same schema, and a different schema its own', () => {
    const first = validator({ type: 'object', properties: { page: { type: 'integer', minimum: 1 } }, additionalProperties: false });
    const again = validator({ type: 'object', properties: { page: { type: 'integer', minimum: 1 } }, additionalProperties: false });
    const other = validator({ type: 'object', properties: { page: { type: 'integer', minimum: 2 } }, additionalProperties: false });
    expect(again).toBe(first);
    expect(other).not.toBe(first);
    expect([first({ page: '1' }), other({ page: '1' }), first({ page: 1, extra: 1 })]).toEqual([true, false, false]);
  });

  it('serializers likewise: same schema, same function; they write only the schema’s fields', () => {
    const build = (schema: object) =>
      schemaCompilers.buildSerializer!({}, {})({ schema, method: 'GET', url: '/x', httpStatus: '200' }) as (data: unknown) => string;
    const schema = { type: 'object', properties: { name: { type: 'string' } } };
    const a = build(schema);
    expect(build({ ...schema })).toBe(a);
    expect(a({ name: '甲', secret: 'x' })).toBe('{"name":"甲"}');
  });
});
