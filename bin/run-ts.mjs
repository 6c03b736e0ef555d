#!/usr/bin/env node
// Runs a TypeScript entry point (benchmarks, maintenance scripts) through tsx's loader, as
// bin/lacuna.mjs does for the CLI: `node bin/run-ts.mjs bench/index.ts --only P1`.
// The script's own arguments follow its path; it runs with process.argv as Node gives it.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

const entry = process.argv[2];
if (!entry) {
  console.error('usage: node bin/run-ts.mjs <file.ts> [args…]');
  process.exit(2);
}
register();
await import(pathToFileURL(resolve(entry)).href);
