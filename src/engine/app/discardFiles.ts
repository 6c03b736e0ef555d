import { lstat, rm } from 'node:fs/promises';
import { basename } from 'node:path';

/**
 * Files the user asked to throw away (a deleted take's render and matte) go to the OS trash, so
 * a wrong click can be undone from the file manager: the `trash` package (macOS' and Windows'
 * own recycle calls through the helpers it ships, the freedesktop.org trash on Linux). Where
 * there is no trash to move them to (a headless Linux box whose data folder cannot hold one, a
 * mount without a trash folder), they are deleted instead, and the report says so in words:
 * the user asked for them to go, and keeping them silently would leave renders behind.
 */

export interface DiscardReport {
  /** Moved to the trash. */
  trashed: string[];
  /** Deleted for good (no trash here). */
  deleted: string[];
  /** Why the files were deleted rather than trashed; absent when everything went to the trash. */
  notice?: string;
}

/** Moves `paths` to the trash; the default is the `trash` package. */
export type TrashFn = (paths: string[]) => Promise<void>;

const systemTrash: TrashFn = async (paths) => {
  const { default: trash } = await import('trash');
  // No globbing: a take's file name may hold brackets or stars.
  await trash(paths, { glob: false });
};

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

function reasonOf(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const what = err.code ? `${err.code}${err.path ? ` at ${err.path}` : ''}` : err.message;
  return what || String(e);
}

export async function discardFiles(paths: readonly string[], options: { trash?: TrashFn } = {}): Promise<DiscardReport> {
  const present: string[] = [];
  for (const p of new Set(paths)) if (await exists(p)) present.push(p);
  if (!present.length) return { trashed: [], deleted: [] };
  let failure: unknown = null;
  try {
    await (options.trash ?? systemTrash)(present);
  } catch (e) {
    failure = e;
  }
  // Whatever is still in place did not reach the trash (a failure may come after some files moved).
  const left: string[] = [];
  for (const p of present) if (await exists(p)) left.push(p);
  const trashed = present.filter((p) => !left.includes(p));
  if (!left.length) return { trashed, deleted: [] };
  await Promise.all(left.map((p) => rm(p, { force: true })));
  const names = left.map((p) => basename(p)).join(', ');
  const why = failure ? reasonOf(failure) : 'the trash left them in place';
  return { trashed, deleted: left, notice: `No trash to move ${left.length === 1 ? 'it' : 'them'} to (${why}): ${names} ${left.length === 1 ? 'was' : 'were'} deleted.` };
}
