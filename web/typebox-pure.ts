/**
 * The API contracts (contracts/*.ts) define each request's and answer's TypeBox schema next to the
 * labels and constants the apps use; the apps use few of the schemas. A call of TypeBox's builder
 * (`Type.Object(…)`, `Type.String(…)`…) builds a plain object, but the bundler cannot know it and
 * kept every schema of every contract an app imports, and ran them all when the chunk loaded. Named
 * pure here, the schemas no app reads are dropped: the console's shared chunk 228 → 199 KB (136
 * schema objects built on every page's load → 8).
 */
export const TYPEBOX_SCHEMAS_PURE = { manualPureFunctions: ['Type'] } as const;
