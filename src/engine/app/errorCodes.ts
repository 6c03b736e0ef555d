import type { ApiErrorCode } from '../../api/errors';
import type { LacunaErrorCode } from '../util/errors';

/**
 * Compile-time check that every engine error code can cross the API boundary unchanged (the
 * contract keeps its own list so the renderer need not import the engine). Adding a code to
 * LacunaErrorCode without adding it to src/api/errors.ts fails `npm run typecheck` here.
 */
type Missing = Exclude<LacunaErrorCode, ApiErrorCode>;
export const engineCodesCrossTheBoundary: [Missing] extends [never] ? true : { missing: Missing } = true;
