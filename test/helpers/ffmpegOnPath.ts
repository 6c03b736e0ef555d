// Vitest setup (vitest.config.ts `setupFiles`): the suite makes its own fixtures by calling
// `ffmpeg` / `ffprobe` by name. On a machine with no system ffmpeg (only Node and npm: the README's
// fresh machine) those calls would fail before the product is even tried, so the binaries the
// product itself would use (its locator: $LACUNA_FFMPEG, ffmpeg-static, PATH, then the npm-shipped
// build) are put at the end of PATH, for the tool that PATH lacks. A machine whose PATH has both is
// left as it is.
import { basename, delimiter, dirname } from 'node:path';
import { locateFfmpeg } from '../../src/engine/media/ffmpegLocator';
import { onPath } from './externalTools';

const missing = (['ffmpeg', 'ffprobe'] as const).filter((tool) => !onPath(tool));
if (missing.length > 0) {
  try {
    const found = locateFfmpeg();
    // Only a binary named as the tool can be called by name from its folder.
    const dirs = missing.filter((tool) => basename(found[tool]).startsWith(tool)).map((tool) => dirname(found[tool]));
    process.env.PATH = [process.env.PATH ?? '', ...new Set(dirs)].filter(Boolean).join(delimiter);
  } catch {
    // No ffmpeg anywhere: the tests that need one fail with the locator's own message.
  }
}
