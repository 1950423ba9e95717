import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { faceViolations, moduleCircles, tableReach } from '../../scripts/boundaries.mjs';
import { analyse } from '../../scripts/import-circles.mjs';

/**
 * The layering issue 17 set up: the platform below the domains, no import circles, one place for
 * the region-range convention. scripts/import-circles.mjs prints the same figures for a reader.
 */
describe('layers', () => {
  const graph = analyse(['server/src', 'web/src', 'contracts']);

  it('keeps the platform free of imports from the domain modules', () => {
    expect(graph.downward).toEqual([]);
  });

  it('has no import circle between files', () => {
    expect(graph.fileCircles.map((c) => c.map(graph.rel))).toEqual([]);
  });

  it('has no two server modules importing each other beyond those still to be untangled', () => {
    const pairs = graph.mutual.filter(([a, b]) => a.startsWith('server/') && b.startsWith('server/')).map(([a, b]) => `${a} ↔ ${b}`);
    // The ground floor's types, known and kept: db/ throws platform's AppError and platform/access.ts
    // reads db/'s table types. Neither is a domain; splitting them would move a type, not a
    // dependency. (config.ts ↔ db/ is gone: the pool settings are the configuration's type.)
    expect(pairs).toEqual(['server/src/db ↔ server/src/platform']);
  });

  it('reaches another module only through its public face (modules/<domain>/index.ts)', () => {
    // Code (other modules, app.ts, tasks/, cli/, generate/, bench/) and tests alike: a test reads
    // its own module's internals, another module's only through its index.ts or its *.fixture.ts;
    // the shared fixtures of server/test/ may reach any module's internals.
    const { code, tests } = faceViolations();
    expect(code).toEqual([]);
    expect(tests).toEqual([]);
  });

  it("writes another domain's table only through the owner's repository", () => {
    const { writes, unowned } = tableReach();
    expect(writes.map((w) => `${w.at}: ${w.module} → ${w.table} (owned by ${w.owner})`)).toEqual([]);
    // Every table of the Database type has an owner in scripts/boundaries.mjs (OWNERS).
    expect(unowned).toEqual([]);
  });

  it('has no circle between the domain modules', () => {
    expect(moduleCircles().filter((c) => c.includes('/modules/'))).toEqual([]);
  });

  it('writes the region range only in platform/access.ts (withinRegion), never by hand', () => {
    const root = path.resolve(import.meta.dirname, '../src');
    const found: string[] = [];
    for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
      const file = path.join(entry.parentPath, entry.name);
      if (file.endsWith(path.join('platform', 'access.ts'))) continue;
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (line.includes("+ '~'")) found.push(`${path.relative(root, file)}:${i + 1}`);
        });
    }
    expect(found).toEqual([]);
  });
});
