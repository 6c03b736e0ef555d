import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Fixture-making calls ffmpeg by name: on a machine with no system ffmpeg, the one the product
    // would use goes on PATH (test/helpers/ffmpegOnPath.ts).
    // Each test file has its own CLI data folder (test/helpers/ownDataDir.ts).
    setupFiles: ['test/helpers/ffmpegOnPath.ts', 'test/helpers/ownDataDir.ts'],
    // ffmpeg-backed tests spawn processes; two cores in CI, so keep workers at two.
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
