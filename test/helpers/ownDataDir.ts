// Vitest setup (vitest.config.ts `setupFiles`): the CLI keeps its job journal in the user's data
// folder (cliDataDir), held by one Lacuna process at a time. Tests that run the CLI in-process
// would otherwise share the real folder of whoever runs them, and another Lacuna holding it (the
// desktop app, a second test run beside this one) fails them with "in use by another Lacuna
// process". Each test file gets a folder of its own, unless it names one itself.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** Set beside LACUNA_DATA_DIR when the folder is this setup's (a worker may run several files). */
const OURS = 'LACUNA_TEST_OWN_DATA_DIR';

if (!process.env.LACUNA_DATA_DIR || process.env.LACUNA_DATA_DIR === process.env[OURS]) {
  const dir = mkdtempSync(join(tmpdir(), 'lacuna-test-data-'));
  process.env.LACUNA_DATA_DIR = dir;
  process.env[OURS] = dir;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
}
