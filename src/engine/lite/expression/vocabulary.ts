/**
 * What the Lite detector can name, in the words people use. The detector reports COCO-80 labels;
 * users say "budgie", "the kids", "a puppy", "the animals". This module is data: the 80 classes
 * grouped as COCO groups them (for the "here is what I know" message), the words that name each
 * class (synonyms, kinds, plural forms), the hypernyms that name several classes ("animal",
 * "vehicle"), and the colour words with the colour buckets each may mean. The grammar
 * (parseExpression.ts) and the colour classifier (colourName.ts) read it; nothing here decides.
 */
import { COCO_LABELS, type CocoLabel } from '../detect/cocoLabels';
import type { ColourName } from './colourName';
import { pluralOf } from './inflection';

/** The 80 COCO class names exactly as the detector reports them (one list: detect/cocoLabels.ts). */
export const COCO_CLASSES = COCO_LABELS;
export type CocoClass = CocoLabel;

/** COCO's own super-categories, with names a person reads easily, in the order COCO lists them. */
export const COCO_GROUPS: readonly { readonly name: string; readonly classes: readonly CocoClass[] }[] = [
  { name: 'people', classes: ['person'] },
  { name: 'vehicles', classes: ['bicycle', 'car', 'motorcycle', 'airplane', 'bus', 'train', 'truck', 'boat'] },
  { name: 'street objects', classes: ['traffic light', 'fire hydrant', 'stop sign', 'parking meter', 'bench'] },
  { name: 'animals', classes: ['bird', 'cat', 'dog', 'horse', 'sheep', 'cow', 'elephant', 'bear', 'zebra', 'giraffe'] },
  { name: 'accessories', classes: ['backpack', 'umbrella', 'handbag', 'tie', 'suitcase'] },
  {
    name: 'sports gear',
    classes: ['frisbee', 'skis', 'snowboard', 'sports ball', 'kite', 'baseball bat', 'baseball glove', 'skateboard', 'surfboard', 'tennis racket'],
  },
  { name: 'tableware', classes: ['bottle', 'wine glass', 'cup', 'fork', 'knife', 'spoon', 'bowl'] },
  { name: 'food', classes: ['banana', 'apple', 'sandwich', 'orange', 'broccoli', 'carrot', 'hot dog', 'pizza', 'donut', 'cake'] },
  { name: 'furniture', classes: ['chair', 'couch', 'potted plant', 'bed', 'dining table', 'toilet'] },
  { name: 'electronics', classes: ['tv', 'laptop', 'mouse', 'remote', 'keyboard', 'cell phone'] },
  { name: 'appliances', classes: ['microwave', 'oven', 'toaster', 'sink', 'refrigerator'] },
  { name: 'household objects', classes: ['book', 'clock', 'vase', 'scissors', 'teddy bear', 'hair drier', 'toothbrush'] },
];

/**
 * Words naming one class, besides the class name itself. "singular/plural" where the plural is not
 * what inflection.ts would make of it; "/" alone after a word marks a plural-only (collective) word.
 * Generous on purpose: a word the detector's class covers should never be refused.
 */
const CLASS_WORDS: Readonly<Record<CocoClass, readonly string[]>> = {
  person: [
    'person/persons', 'man', 'woman', 'girl', 'boy', 'kid', 'child', 'player', 'guy', 'lady', 'gentleman', 'someone', 'human',
    'individual', 'baby', 'toddler', 'infant', 'teenager', 'teen', 'adult', 'pedestrian', 'runner', 'jogger',
    'walker', 'hiker', 'cyclist', 'biker', 'rider', 'skier', 'surfer', 'skater', 'skateboarder', 'snowboarder',
    'swimmer', 'dancer', 'singer', 'actor', 'actress', 'performer', 'worker', 'tourist', 'passerby', 'passer by/passers by',
    'bystander', 'spectator', 'athlete', 'policeman', 'policewoman', 'police officer', 'officer', 'cop', 'soldier',
    'student', 'mother', 'mom', 'mum', 'father', 'dad', 'son', 'daughter', 'brother', 'sister', 'grandma',
    'grandpa', 'grandmother', 'grandfather', 'husband', 'wife', 'girlfriend', 'boyfriend', 'friend', 'figure',
    'photographer', 'cameraman', 'crew member', 'fan', 'tennis player', 'footballer', 'golfer', 'bride',
    'groom', 'dude', 'gal', 'fellow', 'chap', 'bloke', 'customer', 'shopper', 'driver', 'passenger', 'fisherman',
    'farmer', 'chef', 'waiter', 'waitress', 'doctor', 'nurse', 'referee', 'goalkeeper', 'audience/', 'crowd/',
    'human being',
  ],
  bicycle: ['bike', 'cycle', 'push bike', 'mountain bike', 'bmx'],
  car: ['automobile', 'taxi', 'cab', 'van', 'minivan', 'suv', 'jeep', 'sedan', 'hatchback', 'convertible', 'limousine', 'limo', 'police car', 'sports car', 'racecar', 'race car', 'coupe', 'wagon'],
  motorcycle: ['motorbike', 'motor bike', 'motorcycle', 'scooter', 'moped', 'dirt bike', 'chopper'],
  airplane: ['aeroplane', 'plane', 'jet', 'aircraft', 'airliner', 'jetliner', 'glider', 'seaplane', 'biplane', 'fighter jet'],
  bus: ['coach', 'minibus', 'school bus', 'double decker', 'trolleybus'],
  train: ['tram', 'locomotive', 'streetcar', 'subway', 'metro', 'railcar', 'carriage'],
  truck: ['lorry', 'pickup', 'pickup truck', 'semi', 'tractor', 'fire truck', 'fire engine', 'dump truck', 'tanker'],
  boat: ['ship', 'yacht', 'canoe', 'kayak', 'sailboat', 'sailing boat', 'ferry', 'dinghy', 'rowboat', 'rowing boat', 'speedboat', 'raft', 'gondola', 'vessel', 'barge', 'tugboat', 'catamaran'],
  'traffic light': ['traffic signal', 'stoplight', 'stop light', 'traffic lamp'],
  'fire hydrant': ['hydrant', 'fireplug'],
  'stop sign': ['road sign', 'street sign', 'sign'],
  'parking meter': ['meter'],
  bench: ['park bench', 'pew'],
  bird: [
    'pelican', 'parrot', 'budgie', 'budgerigar', 'parakeet', 'seagull', 'gull', 'pigeon', 'dove', 'duck',
    'duckling', 'goose', 'swan', 'owl', 'eagle', 'hawk', 'falcon', 'crow', 'raven', 'sparrow', 'robin', 'finch',
    'canary', 'cockatoo', 'cockatiel', 'macaw', 'lovebird', 'chicken', 'hen', 'rooster', 'cockerel', 'chick',
    'turkey', 'penguin', 'flamingo', 'heron', 'egret', 'stork', 'peacock', 'ostrich', 'emu', 'hummingbird',
    'woodpecker', 'kingfisher', 'magpie', 'blackbird', 'starling', 'puffin', 'albatross', 'cormorant', 'vulture',
    'songbird', 'seabird', 'waterbird', 'mallard', 'bluetit', 'blue tit', 'jay', 'bluejay',
    'cardinal', 'wren', 'toucan', 'birdie',
  ],
  cat: ['kitten', 'kitty', 'kitty cat', 'tomcat', 'moggy', 'tabby', 'feline', 'lion', 'tiger', 'leopard', 'cheetah'],
  dog: [
    'puppy', 'pup', 'doggy', 'doggie', 'doggo', 'hound', 'canine', 'labrador', 'lab', 'retriever', 'golden retriever',
    'poodle', 'terrier', 'corgi', 'beagle', 'husky', 'bulldog', 'dachshund', 'pug', 'german shepherd', 'sheepdog',
    'collie', 'spaniel', 'chihuahua', 'greyhound', 'rottweiler', 'doberman', 'dalmatian', 'boxer', 'mutt', 'wolf',
  ],
  horse: ['pony', 'foal', 'stallion', 'mare', 'colt', 'donkey', 'mule', 'steed'],
  sheep: ['lamb', 'ram', 'ewe', 'goat'],
  cow: ['cattle/', 'bull', 'calf', 'ox', 'heifer', 'bullock', 'steer', 'buffalo', 'bison', 'yak'],
  elephant: ['baby elephant'],
  bear: ['polar bear', 'grizzly', 'grizzly bear', 'brown bear', 'black bear', 'panda', 'cub', 'bear cub'],
  zebra: [],
  giraffe: [],
  backpack: ['rucksack', 'knapsack', 'school bag', 'schoolbag', 'daypack'],
  umbrella: ['parasol', 'brolly', 'sunshade'],
  handbag: ['purse', 'bag', 'shoulder bag', 'tote', 'tote bag', 'clutch', 'shopping bag'],
  tie: ['necktie', 'bow tie', 'bowtie'],
  suitcase: ['luggage/', 'case', 'trolley case', 'travel bag'],
  frisbee: ['flying disc', 'disc'],
  skis: ['ski', 'pair of skis'],
  snowboard: [],
  'sports ball': ['ball', 'football', 'soccer ball', 'basketball', 'volleyball', 'tennis ball', 'baseball', 'rugby ball', 'beach ball', 'golf ball'],
  kite: [],
  'baseball bat': ['bat', 'cricket bat'],
  'baseball glove': ['glove', 'mitt', 'baseball mitt'],
  skateboard: ['skate board', 'longboard'],
  surfboard: ['surf board', 'paddleboard', 'bodyboard'],
  'tennis racket': ['racket', 'racquet', 'tennis racquet', 'badminton racket'],
  bottle: ['water bottle', 'beer bottle', 'wine bottle', 'flask'],
  'wine glass': ['glass', 'wineglass', 'champagne glass', 'goblet'],
  cup: ['mug', 'teacup', 'coffee cup', 'coffee mug', 'tumbler', 'beaker'],
  fork: [],
  knife: ['blade'],
  spoon: ['teaspoon', 'tablespoon', 'ladle'],
  bowl: ['dish'],
  banana: [],
  apple: [],
  sandwich: ['burger', 'hamburger', 'cheeseburger', 'panini', 'wrap'],
  orange: ['tangerine', 'mandarin', 'clementine'],
  broccoli: [],
  carrot: [],
  'hot dog': ['hotdog', 'frankfurter', 'sausage'],
  pizza: ['pizza slice', 'slice of pizza'],
  donut: ['doughnut'],
  cake: ['cupcake', 'muffin', 'birthday cake', 'gateau'],
  chair: ['armchair', 'stool', 'seat', 'office chair', 'deckchair', 'deck chair', 'high chair', 'rocking chair'],
  couch: ['sofa', 'settee', 'loveseat', 'futon'],
  'potted plant': ['plant', 'pot plant', 'houseplant', 'house plant', 'flowerpot', 'flower pot', 'planter', 'flowers/'],
  bed: ['cot', 'bunk', 'bunk bed', 'crib'],
  'dining table': ['table', 'desk', 'kitchen table', 'coffee table'],
  toilet: ['loo', 'wc', 'lavatory', 'commode'],
  tv: ['television', 'telly', 'monitor', 'screen', 'tv set', 'tv screen', 'flatscreen', 'display'],
  laptop: ['notebook computer', 'computer', 'macbook', 'chromebook'],
  mouse: ['computer mouse'],
  remote: ['remote control', 'controller', 'clicker'],
  keyboard: ['computer keyboard'],
  'cell phone': ['phone', 'cellphone', 'mobile', 'mobile phone', 'smartphone', 'smart phone', 'iphone', 'telephone'],
  microwave: ['microwave oven'],
  oven: ['stove', 'cooker'],
  toaster: [],
  sink: ['basin', 'washbasin'],
  refrigerator: ['fridge', 'freezer', 'icebox'],
  book: ['novel', 'paperback', 'magazine', 'notebook'],
  clock: ['wall clock', 'alarm clock'],
  vase: [],
  scissors: ['pair of scissors', 'shears'],
  'teddy bear': ['teddy', 'stuffed animal', 'soft toy', 'plush toy', 'plushie', 'stuffed toy'],
  'hair drier': ['hair dryer', 'hairdryer', 'hairdrier', 'blow dryer', 'blowdryer'],
  toothbrush: ['tooth brush'],
};

/** Words naming several classes: a "the animals" target matches a track of any of them. */
const GROUP_WORDS: readonly { readonly words: readonly string[]; readonly classes: readonly CocoClass[] }[] = [
  { words: ['animal', 'creature', 'beast', 'critter', 'wildlife/'], classes: ['bird', 'cat', 'dog', 'horse', 'sheep', 'cow', 'elephant', 'bear', 'zebra', 'giraffe'] },
  { words: ['pet'], classes: ['cat', 'dog', 'bird'] },
  { words: ['farm animal', 'livestock/'], classes: ['horse', 'sheep', 'cow'] },
  { words: ['vehicle', 'motor vehicle', 'transport/', 'traffic/'], classes: ['bicycle', 'car', 'motorcycle', 'airplane', 'bus', 'train', 'truck', 'boat'] },
  { words: ['fruit'], classes: ['banana', 'apple', 'orange'] },
  { words: ['vegetable', 'veggie', 'veg/'], classes: ['broccoli', 'carrot'] },
  { words: ['food/', 'snack', 'meal'], classes: ['banana', 'apple', 'sandwich', 'orange', 'broccoli', 'carrot', 'hot dog', 'pizza', 'donut', 'cake'] },
  { words: ['furniture/'], classes: ['chair', 'couch', 'bed', 'dining table', 'bench'] },
  { words: ['baggage/', 'luggage bag'], classes: ['backpack', 'handbag', 'suitcase'] },
  { words: ['utensil', 'cutlery/', 'silverware/'], classes: ['fork', 'knife', 'spoon'] },
  { words: ['tableware/', 'crockery/', 'dishes/'], classes: ['bottle', 'wine glass', 'cup', 'fork', 'knife', 'spoon', 'bowl'] },
  { words: ['device', 'gadget', 'electronics/'], classes: ['tv', 'laptop', 'mouse', 'remote', 'keyboard', 'cell phone'] },
  { words: ['appliance'], classes: ['microwave', 'oven', 'toaster', 'sink', 'refrigerator'] },
  { words: ['board'], classes: ['snowboard', 'skateboard', 'surfboard'] },
  { words: ['toy'], classes: ['teddy bear', 'kite', 'frisbee', 'sports ball'] },
];

/** Words that name any object the detector finds ("remove the object on the left"). */
const ANY_OBJECT_WORDS: readonly string[] = ['object', 'thing', 'item', 'subject', 'element', 'stuff/'];

/** One vocabulary word as the grammar sees it. `classes` null means "any object". */
export interface NounEntry {
  /** The singular form (what explanations use with counts of one). */
  readonly singular: string;
  readonly plural: string;
  /** The number this spelling carries ("budgies" is plural, "sheep" either). */
  readonly number: 'singular' | 'plural' | 'either';
  readonly classes: readonly CocoClass[] | null;
}

function addWord(
  lexicon: Map<string, NounEntry>,
  spec: string,
  classes: readonly CocoClass[] | null,
): void {
  const slash = spec.indexOf('/');
  const collective = slash === spec.length - 1;
  const singular = slash < 0 ? spec : spec.slice(0, slash);
  const plural = collective ? singular : slash < 0 ? pluralOf(singular) : spec.slice(slash + 1);
  const same = singular === plural;
  const put = (spelling: string, number: NounEntry['number']): void => {
    // The first word to claim a spelling keeps it: classes are listed before groups, so "glass"
    // stays a wine glass rather than becoming a group.
    if (!lexicon.has(spelling)) lexicon.set(spelling, { singular, plural, number, classes });
  };
  put(singular, collective ? 'plural' : same ? 'either' : 'singular');
  if (!same) put(plural, 'plural');
}

function buildLexicon(): ReadonlyMap<string, NounEntry> {
  const lexicon = new Map<string, NounEntry>();
  for (const cls of COCO_CLASSES) addWord(lexicon, cls, [cls]);
  for (const cls of COCO_CLASSES) for (const word of CLASS_WORDS[cls]) addWord(lexicon, word, [cls]);
  for (const group of GROUP_WORDS) for (const word of group.words) addWord(lexicon, word, group.classes);
  for (const word of ANY_OBJECT_WORDS) addWord(lexicon, word, null);
  // Spellings detectors other than COCO's reference use (VOC, older TF zoo), so track labels
  // from any of them resolve: "motorbike", "aeroplane", "sofa", "tvmonitor", "diningtable".
  for (const [spelling, cls] of [['tvmonitor', 'tv'], ['diningtable', 'dining table'], ['pottedplant', 'potted plant'], ['sportsball', 'sports ball'], ['hairdrier', 'hair drier']] as const) {
    addWord(lexicon, spelling, [cls]);
  }
  return lexicon;
}

/** Every noun spelling (singular and plural, multi-word with single spaces) → its entry. */
export const NOUN_LEXICON: ReadonlyMap<string, NounEntry> = buildLexicon();

/** The longest noun in the lexicon, in words: the grammar tries longer matches first. */
export const LONGEST_NOUN_WORDS = Math.max(...[...NOUN_LEXICON.keys()].map((k) => k.split(' ').length));

/** The COCO class a detector label names, whatever spelling the detector used; null if none. */
export function classOfLabel(label: string): CocoClass | null {
  const entry = NOUN_LEXICON.get(label.trim().toLowerCase().replace(/[_-]+/g, ' ').replace(/\s+/g, ' '));
  return entry?.classes?.length === 1 ? entry.classes[0] : null;
}

/**
 * Colour words → the colour buckets (colourName.ts) an object so described may fall in. Shades
 * between two basic colours accept both ("teal" is green or blue to a classifier), so a user's
 * finer word never fails for being finer than the classifier.
 */
export const COLOUR_WORDS: ReadonlyMap<string, readonly ColourName[]> = new Map<string, readonly ColourName[]>([
  ['red', ['red']], ['crimson', ['red']], ['scarlet', ['red']], ['maroon', ['red', 'brown']], ['burgundy', ['red', 'purple']],
  ['orange', ['orange']], ['amber', ['orange', 'yellow']], ['ginger', ['orange', 'brown']], ['rust', ['orange', 'brown', 'red']],
  ['yellow', ['yellow']], ['gold', ['yellow', 'orange']], ['golden', ['yellow', 'orange']], ['blond', ['yellow', 'brown']], ['blonde', ['yellow', 'brown']],
  ['green', ['green']], ['lime', ['green', 'yellow']], ['olive', ['green', 'yellow', 'brown']], ['khaki', ['green', 'brown', 'yellow']],
  ['teal', ['green', 'blue']], ['turquoise', ['blue', 'green']], ['cyan', ['blue', 'green']], ['aqua', ['blue', 'green']],
  ['blue', ['blue']], ['navy', ['blue']], ['azure', ['blue']],
  ['purple', ['purple']], ['violet', ['purple']], ['lilac', ['purple', 'pink']], ['lavender', ['purple', 'pink']], ['magenta', ['pink', 'purple']],
  ['pink', ['pink']], ['rose', ['pink', 'red']], ['salmon', ['pink', 'orange']],
  ['brown', ['brown']], ['tan', ['brown', 'orange']], ['beige', ['brown', 'white', 'orange']], ['chocolate', ['brown']], ['chestnut', ['brown', 'red']],
  ['black', ['black']], ['dark', ['black']],
  ['white', ['white']], ['cream', ['white', 'yellow']], ['ivory', ['white']],
  ['grey', ['grey']], ['gray', ['grey']], ['silver', ['grey', 'white']], ['charcoal', ['grey', 'black']],
]);

/** Shade modifiers people put before colour words ("dark blue"); the classifier's buckets absorb them. */
export const COLOUR_MODIFIERS: ReadonlySet<string> = new Set(['light', 'pale', 'bright', 'deep', 'vivid', 'pastel', 'dull', 'darker', 'lighter', 'dark']);

/** The detector's vocabulary grouped for an error message: "animals: bird, cat, dog, …". */
export function knownClassesByGroup(): string {
  return COCO_GROUPS.map((g) => `${g.name}: ${g.classes.join(', ')}`).join('; ');
}
