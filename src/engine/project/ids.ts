import { randomBytes } from 'node:crypto';

/**
 * Ids for project entities: a readable kind prefix (so a stray id in a log or an error says what
 * it names) and 64 random bits (so ids made on two machines, e.g. a render node adding takes,
 * never collide in practice). Ids are opaque: nothing may parse them.
 */
export type IdKind = 'project' | 'media' | 'seq' | 'track' | 'clip' | 'take';

export function newId(kind: IdKind, taken?: (id: string) => boolean): string {
  for (;;) {
    const id = `${kind}_${randomBytes(8).toString('hex')}`;
    if (!taken?.(id)) return id;
  }
}
