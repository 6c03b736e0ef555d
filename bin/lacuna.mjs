#!/usr/bin/env node
// The `lacuna` command. It runs the TypeScript CLI through tsx's loader so the source is the
// single truth (no separate CLI build to go stale); the desktop app bundles the same engine.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
