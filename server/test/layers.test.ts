import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
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
    // Left for issue 17 item 1 (matching writes referrals through the referrals repository) and the
    // ground floor's types (the pool settings in db/, AppError in platform/).
    expect(pairs).toEqual([
      'server/src/config.ts ↔ server/src/db',
      'server/src/db ↔ server/src/platform',
      'server/src/modules/matching ↔ server/src/modules/referrals',
    ]);
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
