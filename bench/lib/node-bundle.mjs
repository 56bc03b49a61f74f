// How the benchmarks bundle TypeScript for Node with esbuild: one ES module per entry point, the
// packages left to node_modules.

/** esbuild options shared by every bench bundle (add entry points and where they go). */
export const NODE_BUNDLE = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
};
