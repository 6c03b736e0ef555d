/**
 * The function words of removal commands, as data for the grammar (parseExpression.ts): verbs
 * that mean "remove" or "keep only", filler people wrap commands in, determiners and counts, and
 * the words of spatial, size and ordinal qualifiers. Object nouns and colour words live in
 * vocabulary.ts. Multi-word entries are token arrays (tokens are lower-case, apostrophes dropped).
 */
import type { Side } from './ast';

const words = (s: string): string[] => s.split(' ');

/** Politeness and framing removed wherever they occur ("please", "can you", "i'd like to"). */
export const FILLER_PHRASES: readonly string[][] = [
  'please', 'pls', 'plz', 'kindly', 'thanks', 'thank you', 'thx', 'can you', 'could you', 'would you', 'will you',
  'can u', 'could u', 'i want you to', 'i want to', 'i need you to', 'i need to', 'id like you to', 'id like to',
  'i would like you to', 'i would like to', 'i wish to', 'we need to', 'we want to', 'lets', 'let us', 'go ahead and',
  'try to', 'help me', 'for me', 'for us', 'now', 'right now', 'quickly', 'entirely', 'completely', 'fully',
  'altogether', 'also', 'too', 'the whole time', 'all the time', 'throughout', 'hey', 'ok', 'okay', 'oh',
  'so', 'then', 'cleanly', 'seamlessly', 'carefully', 'in every frame', 'in all frames', 'from every frame',
  'from all frames', 'everywhere',
].map(words);

/** What a clip is called; "from the shot", "in this clip", "out of frame" are filler. */
export const SCENE_NOUNS: ReadonlySet<string> = new Set([
  'shot', 'shots', 'clip', 'clips', 'video', 'videos', 'footage', 'scene', 'scenes', 'frame', 'frames', 'picture',
  'pictures', 'image', 'images', 'photo', 'movie', 'film', 'sequence', 'take', 'plate', 'view', 'edit', 'timeline',
]);
/** Words that may introduce a scene noun: "from the shot", "out of this clip", "in frame". */
export const SCENE_PREPOSITIONS: ReadonlySet<string> = new Set(['from', 'in', 'out', 'of', 'off', 'throughout', 'across', 'within', 'on', 'inside']);
export const SCENE_DETERMINERS: ReadonlySet<string> = new Set(['the', 'this', 'that', 'my', 'our', 'entire', 'whole', 'every', 'each', 'all', 'of', 'these', 'those']);

/** Verbs (and verb phrases) meaning "remove". Longest match wins. */
export const REMOVE_VERBS: readonly string[][] = [
  'remove', 'erase', 'delete', 'get rid of', 'take out', 'take away', 'take', 'cut out', 'cut', 'paint out', 'paint',
  'rub out', 'wipe out', 'wipe', 'clear out', 'clear', 'eliminate', 'hide', 'drop', 'lose', 'inpaint', 'mask out',
  'mask', 'scrub out', 'scrub', 'strip out', 'strip', 'kill', 'nix', 'ditch', 'zap', 'vanish', 'edit out', 'clean up',
  'clean out', 'obliterate', 'exclude', 'expunge', 'omit', 'purge', 'banish', 'rotoscope out', 'roto out',
  'roto', 'blank out', 'white out', 'black out', 'censor', 'eradicate', 'wipe away', 'do away with',
  'get out', 'throw out', 'dump', 'discard', 'axe',
].map(words);
/** Particles a remove verb may leave at the end: "take the dog out", "cut the man away". */
export const VERB_PARTICLES: ReadonlySet<string> = new Set(['out', 'away', 'off', 'up']);
/** "make the dog disappear", "make them go away", "make the cat invisible". */
export const DISAPPEAR_TAILS: readonly string[][] = ['disappear', 'vanish', 'go away', 'go', 'invisible', 'gone', 'leave'].map(words);

/** Verbs meaning "keep only this, remove the rest" (the interactive form). Longest match wins. */
export const KEEP_ONLY_VERBS: readonly string[][] = [
  'keep only', 'only keep', 'just keep', 'keep just', 'keep', 'leave only', 'leave just', 'only leave', 'just leave',
  'leave', 'retain only', 'retain', 'preserve only', 'preserve', 'show only', 'only show', 'just show', 'focus on',
  'focus only on', 'only focus on', 'isolate', 'i only want', 'i want only', 'i just want', 'i want just', 'only want', 'want only', 'keep nothing but', 'leave nothing but', 'only', 'nothing but',
].map(words);
/** "make this shot only about the pelican": after "make … about", the rest is what to keep. */
export const MAKE_ABOUT_MARKERS: readonly string[][] = ['only about', 'just about', 'all about', 'about'].map(words);

/** Marks what follows as exceptions to the selection: "everyone except the man", "all birds but the red one". */
export const EXCEPTION_MARKERS: readonly string[][] = [
  'except for', 'except', 'excepting', 'but not', 'but keep', 'but leave', 'but do not remove', 'but dont remove',
  'but', 'other than', 'apart from', 'aside from', 'besides', 'excluding', 'save for', 'and keep', 'and leave',
  'while keeping', 'keeping', 'leaving', 'not', 'minus', 'with the exception of', 'bar',
].map(words);
/** Words that may follow an exception marker without meaning anything ("but keep only the red one"). */
export const EXCEPTION_LEADS: ReadonlySet<string> = new Set(['keep', 'leave', 'only', 'just', 'for', 'not', 'do', 'dont', 'remove']);

/** Separators of a list of targets: "the dog and the girl", "the cat, the dog". */
export const CONJUNCTIONS: readonly string[][] = [',', 'and', 'plus', 'as well as', 'along with', 'together with', 'and also'].map(words);

/** Determiners and the count they imply for a singular noun (plural nouns always mean "all"). */
export const DEFINITE_DETERMINERS: ReadonlySet<string> = new Set(['the', 'this', 'that', 'these', 'those', 'my', 'our', 'your', 'his', 'her', 'its', 'their', 'yon']);
export const INDEFINITE_DETERMINERS: ReadonlySet<string> = new Set(['a', 'an', 'any', 'some', 'another', 'single']);
export const UNIVERSAL_DETERMINERS: ReadonlySet<string> = new Set(['all', 'every', 'each']);

export const NUMBER_WORDS: ReadonlyMap<string, number> = new Map([
  ['one', 1], ['two', 2], ['three', 3], ['four', 4], ['five', 5], ['six', 6], ['seven', 7], ['eight', 8], ['nine', 9],
  ['ten', 10], ['eleven', 11], ['twelve', 12], ['thirteen', 13], ['fourteen', 14], ['fifteen', 15], ['sixteen', 16],
  ['seventeen', 17], ['eighteen', 18], ['nineteen', 19], ['twenty', 20], ['couple', 2], ['pair', 2], ['dozen', 12],
]);

/** Pronoun-like heads that carry their own class and count. */
export const PRONOUN_HEADS: ReadonlyMap<string, { person: boolean; all: boolean }> = new Map([
  ['everyone', { person: true, all: true }],
  ['everybody', { person: true, all: true }],
  ['anyone', { person: true, all: true }],
  ['anybody', { person: true, all: true }],
  ['someone', { person: true, all: false }],
  ['somebody', { person: true, all: false }],
  ['everything', { person: false, all: true }],
  ['anything', { person: false, all: true }],
  ['them', { person: false, all: true }],
  ['something', { person: false, all: false }],
]);

/** Pronouns that point at something the text never names: "remove it" needs saying what "it" is. */
export const REFERRING_PRONOUNS: ReadonlySet<string> = new Set(['it', 'him', 'he', 'she', 'they', 'itself']);

/** Position words → where the object is. "left hand", "far left" and the like are handled as glue + these. */
export const POSITION_WORDS: ReadonlyMap<string, Side | 'middle'> = new Map<string, Side | 'middle'>([
  ['left', 'left'], ['leftmost', 'left'], ['lefthand', 'left'], ['leftward', 'left'], ['west', 'left'],
  ['right', 'right'], ['rightmost', 'right'], ['righthand', 'right'], ['rightward', 'right'], ['east', 'right'],
  ['top', 'top'], ['topmost', 'top'], ['upper', 'top'], ['uppermost', 'top'], ['highest', 'top'], ['higher', 'top'], ['above', 'top'],
  ['bottom', 'bottom'], ['bottommost', 'bottom'], ['lower', 'bottom'], ['lowermost', 'bottom'], ['lowest', 'bottom'], ['below', 'bottom'],
  ['middle', 'middle'], ['center', 'middle'], ['centre', 'middle'], ['central', 'middle'], ['centered', 'middle'],
  ['centred', 'middle'], ['centermost', 'middle'], ['centremost', 'middle'], ['midst', 'middle'], ['inner', 'middle'],
]);

/**
 * Size words → which end of the size order. Depth words mean size: a camera sees nearer things
 * bigger, so "front"/"closest" = largest and "back"/"far" = smallest.
 */
export const SIZE_WORDS: ReadonlyMap<string, 'largest' | 'smallest'> = new Map<string, 'largest' | 'smallest'>([
  ['front', 'largest'], ['frontmost', 'largest'], ['foreground', 'largest'], ['near', 'largest'], ['nearer', 'largest'],
  ['nearest', 'largest'], ['close', 'largest'], ['closer', 'largest'], ['closest', 'largest'], ['big', 'largest'],
  ['bigger', 'largest'], ['biggest', 'largest'], ['large', 'largest'], ['larger', 'largest'], ['largest', 'largest'],
  ['huge', 'largest'], ['giant', 'largest'], ['tall', 'largest'], ['taller', 'largest'], ['tallest', 'largest'],
  ['fat', 'largest'], ['fatter', 'largest'], ['fattest', 'largest'], ['main', 'largest'], ['prominent', 'largest'],
  ['back', 'smallest'], ['rear', 'smallest'], ['rearmost', 'smallest'], ['hindmost', 'smallest'], ['background', 'smallest'],
  ['behind', 'smallest'], ['far', 'smallest'], ['farther', 'smallest'], ['farthest', 'smallest'], ['further', 'smallest'],
  ['furthest', 'smallest'], ['distant', 'smallest'], ['small', 'smallest'], ['smaller', 'smallest'], ['smallest', 'smallest'],
  ['little', 'smallest'], ['tiny', 'smallest'], ['short', 'smallest'], ['shorter', 'smallest'], ['shortest', 'smallest'],
  ['distance', 'smallest'],
]);
/** Size words that, before a position word, only intensify it: "far left", "near the top", "closest to the edge". */
export const INTENSIFIERS_BEFORE_POSITION: ReadonlySet<string> = new Set(['far', 'near', 'nearest', 'closest', 'close', 'extreme', 'very', 'furthest', 'farthest']);

export const ORDINAL_WORDS: ReadonlyMap<string, number> = new Map([
  ['first', 1], ['second', 2], ['third', 3], ['fourth', 4], ['fifth', 5], ['sixth', 6], ['seventh', 7], ['eighth', 8],
  ['ninth', 9], ['tenth', 10], ['1st', 1], ['2nd', 2], ['3rd', 3], ['4th', 4], ['5th', 5], ['6th', 6], ['7th', 7],
  ['8th', 8], ['9th', 9], ['10th', 10], ['last', 1], ['penultimate', 2],
]);
/** Ordinal words that count from the far end ("last", "penultimate", "second to last"). */
export const FROM_END_ORDINALS: ReadonlySet<string> = new Set(['last', 'penultimate']);

/** Prepositions: after one, nouns describe a relation ("on the bench"), not the object itself. */
export const PREPOSITIONS: ReadonlySet<string> = new Set([
  'on', 'at', 'to', 'in', 'into', 'toward', 'towards', 'by', 'along', 'over', 'under', 'with', 'wearing', 'dressed',
  'than', 'near', 'next', 'beside', 'holding', 'carrying', 'riding', 'inside', 'within', 'among', 'across', 'from',
]);

/**
 * Words that glue qualifiers to nouns and carry no meaning here: articles inside qualifier phrases,
 * relative pronouns and copulas ("the bird that is on the left"), emphasis ("exactly", "only").
 */
export const FUNCTION_WORDS: ReadonlySet<string> = new Set([
  'the', 'a', 'an', 'of', 'most', 'very', 'extreme', 'who', 'that', 'which', 'is', 'are', 'was', 'were', 'be', 'being',
  'its', 'only', 'just', 'else', 'exactly', 'both', 'all', 'there', 'here', 'other', 'others', 'rest', 'also', 'and',
  'currently', 'still', 'again', 'whos', 'thats', 'whichever', 'whatever', 'kind', 'sort', 'looking', 'colored', 'coloured', 'alone', 'untouched', 'intact', 'unchanged', 'as', 'is',
]);

/** Parts of the frame that position words name ("the left side", "the top corner"): glue anywhere. */
export const FRAME_PART_WORDS: ReadonlySet<string> = new Set([
  'side', 'sides', 'edge', 'edges', 'end', 'corner', 'part', 'half', 'area', 'bit', 'region', 'portion', 'hand', 'row', 'line',
  'position', 'spot', 'place',
]);

/**
 * Nouns that, inside a qualifier phrase, only carry it: "closest to the camera", "in the red
 * shirt" (the colour is what counts). As a head noun they are unknown objects ("remove the hat").
 */
export const PHRASE_ONLY_NOUNS: ReadonlySet<string> = new Set([
  'camera', 'lens', 'viewer', 'us', 'me', 'color', 'colour', 'shirt', 'tshirt', 't', 'jacket', 'coat', 'dress', 'hat', 'cap',
  'sweater', 'jumper', 'hoodie', 'shorts', 'pants', 'trousers', 'jeans', 'skirt', 'shoes', 'suit', 'uniform', 'outfit',
  'clothes', 'clothing', 'scarf', 'helmet', 'vest', 'feathers', 'feather', 'fur', 'coloring', 'colouring', 'paint',
  'paintwork', 'plumage', 'coat', 'hair', 'screen', 'frame', 'shot', 'picture', 'image', 'video', 'clip', 'group', 'others',
]);
