/**
 * Deep-freezes a document so nothing outside `Project` can edit it behind the history's back
 * (an edit that bypassed the undo stack would be silently lost on undo). Stops at objects that
 * are already frozen: with structural sharing, those are the unchanged parts of the previous
 * state, so freezing after an edit costs only the path that changed.
 */
export function freezeDeep<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const key of Object.keys(value)) freezeDeep((value as Record<string, unknown>)[key]);
  return value;
}
