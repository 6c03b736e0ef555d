/**
 * "the dog and its shadow", "both birds with their shadows": a clause asking for the object's
 * cast shadow too. It is taken off the words before the grammar reads them (to the grammar "and"
 * joins objects, and a shadow is not one the detector finds) and turns shadow removal on.
 */
const CLAUSE = /\s*,?\s*\b(?:and|with|plus|including|together with|along with)\s+(?:(?:its|their|his|her|the)\s+)?(?:own\s+)?(?:cast\s+)?shadows?\b(?:\s+too|\s+as well)?/gi;

export function splitShadowClause(text: string): { text: string; withShadow: boolean } {
  const rest = text.replace(CLAUSE, ' ').replace(/\s+/g, ' ').trim();
  return rest === text.replace(/\s+/g, ' ').trim() ? { text, withShadow: false } : { text: rest, withShadow: true };
}
