import { readFileSync } from 'node:fs';
import type { RedisOptions } from 'ioredis';
import { LacunaError } from '../util/errors';

/**
 * How every farm process reaches Redis: a `redis://` or `rediss://` (TLS) URL, with an ACL user
 * and password in the URL, in a file, or in LACUNA_REDIS_PASSWORD (so it stays out of `ps`), and
 * TLS certificates for a Redis that checks its clients. Shown anywhere, the URL has no password.
 */
export interface FarmRedisConfig {
  url: string;
  /** ACL user (overrides the URL's). */
  username?: string;
  /** Overrides the URL's; prefer `passwordFile` or LACUNA_REDIS_PASSWORD. */
  password?: string;
  passwordFile?: string;
  tls?: {
    /** CA bundle that signed the server's certificate (PEM). */
    ca?: string;
    /** Client certificate and key (PEM), for `tls-auth-clients yes`. */
    cert?: string;
    key?: string;
    /** Name to check the server's certificate against, when it differs from the host. */
    servername?: string;
  };
}

function readSecret(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new LacunaError('BAD_ARGUMENT', `cannot read the ${what} file ${path}`);
  }
}

export function redisOptions(config: FarmRedisConfig, env: NodeJS.ProcessEnv = process.env): RedisOptions {
  let url: URL;
  try {
    url = new URL(config.url);
  } catch {
    throw new LacunaError('BAD_ARGUMENT', `"${config.url}" is not a Redis URL`, 'Write it as redis://host:6379 (or rediss:// for TLS), e.g. redis://farm:secret@render-db:6379/0.');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new LacunaError('BAD_ARGUMENT', `"${config.url}" is not a Redis URL`, 'It starts with redis:// or rediss:// (TLS).');
  }
  const password =
    config.password ??
    (config.passwordFile ? readSecret(config.passwordFile, 'password').replace(/\r?\n$/, '') : undefined) ??
    (url.password ? decodeURIComponent(url.password) : undefined) ??
    env.LACUNA_REDIS_PASSWORD;
  const username = config.username ?? (url.username ? decodeURIComponent(url.username) : undefined);
  const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0) throw new LacunaError('BAD_ARGUMENT', `"${url.pathname.slice(1)}" in ${safeRedisUrl(config.url)} is not a database number`);
  const t = config.tls;
  const tls = url.protocol === 'rediss:' || t
    ? {
        ...(t?.ca && { ca: readSecret(t.ca, 'TLS CA') }),
        ...(t?.cert && { cert: readSecret(t.cert, 'TLS certificate') }),
        ...(t?.key && { key: readSecret(t.key, 'TLS key') }),
        ...(t?.servername && { servername: t.servername }),
      }
    : undefined;
  return {
    host: url.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: url.port ? Number(url.port) : 6379,
    db,
    ...(username && { username }),
    ...(password && { password }),
    ...(tls && { tls }),
    // BullMQ's workers block on Redis; they must wait out a restart, not give up on a command.
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => Math.min(200 * times, 2000),
  };
}

/** The URL without its password, for messages and status. */
export function safeRedisUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(invalid Redis URL)';
  }
}
