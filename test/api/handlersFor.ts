import { callNames, type Handlers } from '../../src/api/contract';

/**
 * A full Handlers table for dispatcher tests: the given handlers, and for every other channel
 * one that fails loudly, so a test that reaches a handler it did not mean to is obvious.
 */
export function handlersFor(partial: Partial<Handlers>): Handlers {
  const table: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const name of callNames) {
    table[name] = async () => {
      throw new Error(`handler ${name} is not part of this test`);
    };
  }
  return Object.assign(table, partial) as unknown as Handlers;
}
