import { LacunaError } from '../util/errors';
import { checkInvariants } from './invariants';
import { formatProblems, problemsFromZod, type Problem } from './problems';
import { ProjectDocSchema, type ProjectDoc } from './schema';

/**
 * Turns untrusted data (a parsed file, a document from another process) into a trusted
 * `ProjectDoc`, or says precisely what is wrong: every problem with its JSON path. Shape is
 * checked first; the cross-object rules only run on a well-shaped document, since a rule like
 * "clip media exists" means nothing when `media` is not even an array.
 */
export function problemsInDoc(raw: unknown): { doc: ProjectDoc | null; problems: Problem[] } {
  const parsed = ProjectDocSchema.safeParse(raw);
  if (!parsed.success) return { doc: null, problems: problemsFromZod(parsed.error, raw) };
  const problems = checkInvariants(parsed.data);
  return { doc: problems.length ? null : parsed.data, problems };
}

/** Validates `raw`; throws PROJECT_INVALID naming `source` (a file name) and each problem. */
export function parseProjectDoc(raw: unknown, source = 'the project'): ProjectDoc {
  const { doc, problems } = problemsInDoc(raw);
  if (doc) return doc;
  const n = problems.length;
  throw new LacunaError(
    'PROJECT_INVALID',
    `${source} is not a valid Lacuna project (${n} problem${n === 1 ? '' : 's'}):\n${formatProblems(problems)}`,
    'If the file was edited by hand, fix the places listed.',
  );
}
