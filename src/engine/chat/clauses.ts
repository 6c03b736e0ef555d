/**
 * A chat message split into the clauses a request is made of: "I love this shot of the pelican,
 * but another bird sneaks in; can you make it only about the pelican?" is three clauses, of
 * which only the last asks for anything. Sentences end at . ! ? ; or a line break, and a ", but"
 * starts a new clause (it joins a remark to a request far more often than it makes an exception:
 * exceptions read "everyone but the man", without the comma).
 */
export function splitClauses(message: string): string[] {
  return message
    .split(/[.!?;\n]+|,\s*but\b|\s+but\s+(?=(?:can|could|would|will|please|i|we|you)\b)/i)
    .map((c) => c.replace(/^[\s,]+|[\s,]+$/g, ''))
    .filter((c) => /[a-z0-9]/i.test(c));
}
