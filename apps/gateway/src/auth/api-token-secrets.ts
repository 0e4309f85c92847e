import { createHash, randomBytes } from 'node:crypto';

const PREFIX = 'hh_';

/** A new API token: `hh_` and 43 random base64url characters (256 bits), with what is stored of it. */
export function newApiTokenSecret(): { token: string; hash: string; prefix: string } {
  const token = `${PREFIX}${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashApiToken(token), prefix: token.slice(0, 10) };
}

export function looksLikeApiToken(token: string): boolean {
  return token.startsWith(PREFIX);
}

/** SHA-256 suffices (no slow hash needed): the token is 256 random bits, not a password a person chose. */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
