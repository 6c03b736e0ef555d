// What Find and the viewer's clicks do with an engine whose mask comes from its own model (LGVI,
// LGVI-I), decided here once for the app: Find runs the grounding of an engine that has one (Lite's
// detector and tracker) as a preview of what the words name; the objects picked there (by the
// words, or by clicking) do not choose what LGVI removes (its mask head and its own change to the
// picture still do), they bound it: the render's composite may change pixels only inside the
// picked objects' boxes, grown by the mask's grow + feather (JobsController.growBoxes, applied to
// the matte in lgvi/windows/removalMatte.ts boundMatte). Without picks (no Find), LGVI composites
// where its own mask says, as before.
import type { RemovalEngine } from '../removal/removalEngine';
import { LacunaError } from '../util/errors';

/** The engine whose Find previews `chosen`: itself when it has one, else the first installed engine with one. */
export function findEngineFor(chosen: RemovalEngine, installed: readonly RemovalEngine[]): RemovalEngine {
  if (chosen.find) return chosen;
  const grounding = installed.find((e) => e.find);
  if (!grounding) {
    throw new LacunaError('UNSUPPORTED', `${chosen.label} finds what to remove inside its model, and no engine with a Find step is installed`, 'Render with these words directly.');
  }
  return grounding;
}

/** The dialog's line on what Find and clicks mean for `engine`. */
export function findPreviewNote(engine: RemovalEngine): string {
  if (engine.find) return 'Find shows what the words match; the render removes exactly the picked objects.';
  return `Find previews the words with Lite's detector; ${engine.label} still makes its own mask, and the picked objects bound it: nothing outside their grown boxes changes.`;
}
