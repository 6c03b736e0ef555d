import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { checkInvariants, formatProblem, type Project } from '../../src/engine/project';

export { audioInfo, fakeHash, imageSequenceInfo, videoInfo } from './mediaFixtures';

/** Asserts the project's document obeys every cross-object rule. */
export function expectSound(project: Project): void {
  expect(checkInvariants(project.doc).map(formatProblem)).toEqual([]);
}

export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'lacuna-project-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
