/** Types of scripts/boundaries.mjs for the tests that use it. */
export const OWNERS: Record<string, string[]>;
export function faceViolations(): { code: string[]; tests: string[]; fixtures: string[] };
interface TableReference {
  module: string;
  table: string;
  owner: string;
  at: string;
}
export function tableReach(): { reads: TableReference[]; writes: TableReference[]; unowned: string[] };
export function moduleCircles(): string[];
