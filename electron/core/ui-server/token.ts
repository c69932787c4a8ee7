// The secret that gates the UI server's Api: 32 random bytes, URL-safe.
import { randomBytes } from 'node:crypto';

export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;
