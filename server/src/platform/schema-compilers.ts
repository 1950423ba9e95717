import { AjvCompiler } from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

/**
 * Fastify's own compilers (Ajv for what comes in, fast-json-stringify for what goes out), with what
 * they compile kept for the life of the process. Building the app compiles every route's schemas:
 * 1.4 s of the 1.7 s `buildApp` took (a CPU profile of a test app, 2-core machine). A compiled
 * function depends only on its schema and the compiler's options, so an app built again in the same
 * process — the test suite builds one per test file, 170 of them on two workers — takes the ones
 * already compiled instead. Keyed by the shared schemas and options, then by the schema's JSON text
 * (the same text compiles to the same function; the schemas are the route modules' constants).
 */
type Factories = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
type ValidatorFactory = NonNullable<Factories['buildValidator']>;
type SerializerFactory = NonNullable<Factories['buildSerializer']>;

const ajv = AjvCompiler();
const stringify = SerializerSelector();
const validators = new Map<string, Map<string, unknown>>();
const serializers = new Map<string, Map<string, unknown>>();

function kept<F>(pools: Map<string, Map<string, unknown>>, poolKey: string, compile: (route: { schema?: unknown }) => F) {
  let pool = pools.get(poolKey);
  if (!pool) {
    pool = new Map();
    pools.set(poolKey, pool);
  }
  const compiled = pool;
  return (route: { schema?: unknown }): F => {
    const key = JSON.stringify(route.schema);
    let fn = compiled.get(key) as F | undefined;
    if (fn === undefined) {
      fn = compile(route);
      compiled.set(key, fn);
    }
    return fn;
  };
}

const buildValidator: ValidatorFactory = (externalSchemas, options) => {
  const compile = ajv(externalSchemas, options);
  return kept(validators, JSON.stringify([externalSchemas, options?.customOptions ?? null, options?.mode ?? null]), compile as never);
};

const buildSerializer: SerializerFactory = (externalSchemas, options) => {
  const compile = stringify(externalSchemas, options);
  return kept(serializers, JSON.stringify([externalSchemas, options ?? null]), compile as never);
};

export const schemaCompilers: Factories = { buildValidator, buildSerializer };
