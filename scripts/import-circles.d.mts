/** Types of scripts/import-circles.mjs for the tests that use it. */
export function analyse(folders?: string[]): {
  files: string[];
  edges: Map<string, string[]>;
  rel: (file: string) => string;
  moduleOf: (file: string) => string;
  moduleGraph: Map<string, string[]>;
  fileCircles: string[][];
  moduleCircles: string[][];
  mutual: [string, string][];
  downward: string[];
};
