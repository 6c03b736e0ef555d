import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The query parameter of the address the host opens once (`/?token=…`). */
export const TOKEN_PARAM = 'token';

/**
 * The bridge's per-launch secret. Binding 127.0.0.1 keeps other machines out, but not other
 * processes (or other users) on this one, nor a page in the user's browser that forges a
 * request without an Origin header (a cross-site <video>). Every request must show the token:
 *
 * - a browser opens `<origin>/?token=<token>` once; the bridge answers with a cookie holding the
 *   token and a redirect to `/` (so the token leaves the address bar and history). From then on
 *   the page's fetch, EventSource and <video> requests carry the cookie. It is HttpOnly (page
 *   scripts cannot read it) and SameSite=Strict (a cross-site page's requests do not carry it);
 *   its name holds the port because cookies are not isolated by port.
 * - a program (tests, scripts) sends `Authorization: Bearer <token>`.
 *
 * 32 random bytes: guessing is not an attack; comparison is constant-time anyway.
 */
export class AccessToken {
  readonly value = randomBytes(32).toString('base64url');
  #cookieName = '';

  /** The cookie is named after the port, known only once the server listens. */
  bind(port: number): void {
    this.#cookieName = `lacuna_${port}`;
  }

  /** Set-Cookie for a browser that showed the token in the URL. */
  cookie(): string {
    return `${this.#cookieName}=${this.value}; Path=/; HttpOnly; SameSite=Strict`;
  }

  /** Whether the request shows the token in its cookie or Authorization header. */
  admits(req: IncomingMessage): boolean {
    const auth = req.headers.authorization;
    if (auth?.startsWith('Bearer ') && this.matches(auth.slice('Bearer '.length).trim())) return true;
    return this.matches(cookieValue(req.headers.cookie, this.#cookieName));
  }

  /** Constant-time comparison with the token (false for anything absent or of another length). */
  matches(candidate: string | null | undefined): boolean {
    if (!candidate) return false;
    const a = Buffer.from(candidate);
    const b = Buffer.from(this.value);
    return a.length === b.length && timingSafeEqual(a, b);
  }
}

function cookieValue(header: string | undefined, name: string): string | null {
  if (!header || !name) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}
