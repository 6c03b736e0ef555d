/**
 * The Lite engine's referring-expression stage: text → ParsedExpression → the tracks to remove,
 * with an explanation. No model: a grammar over COCO's vocabulary, judged on tracks.
 */
export type { Count, OrderFrom, ParsedExpression, Qualifier, Side, Target } from './ast';
export { parseExpression } from './parseExpression';
export { selectTracks, type Selection, type SelectionContext } from './selectTracks';
export { colourName, dominantColour, ColourTally, COLOUR_NAMES, type ColourName, type ColourRegion, type DominantColour, type Rgb } from './colourName';
export { COCO_CLASSES, COCO_GROUPS, classOfLabel, type CocoClass } from './vocabulary';
export { EXAMPLE_PHRASINGS } from './expressionErrors';
export { asksForRemoval, STAND_IN_WORDS } from './requestCue';
export { tokenize } from './tokens';
export { trackColour, sampleFrames, type TrackColourOptions } from './trackColour';
