import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

// scrypt's recommended interactive cost (N = 2^14, r = 8, p = 1: 16 MiB, tens of milliseconds).
// The parameters are stored with the hash, so raising them later keeps old tokens verifiable.
const PARAMETERS = { N: 16_384, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

function derive(secret: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, KEY_LENGTH, { ...options, maxmem: 64 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** A salted scrypt hash of `secret`: the salt in hex, the hash as `scrypt$N$r$p$<base64>`. */
export async function hashSecret(secret: string): Promise<{ salt: string; hash: string }> {
  const salt = randomBytes(16);
  const key = await derive(secret, salt, PARAMETERS);
  const { N, r, p } = PARAMETERS;
  return { salt: salt.toString('hex'), hash: `scrypt$${N}$${r}$${p}$${key.toString('base64')}` };
}

/** Whether `secret` hashes to `hash` with `salt`, compared in constant time. */
export async function verifySecret(secret: string, salt: string, hash: string): Promise<boolean> {
  const [scheme, N, r, p, encoded] = hash.split('$');
  if (scheme !== 'scrypt' || encoded === undefined) return false;
  const expected = Buffer.from(encoded, 'base64');
  const actual = await derive(secret, Buffer.from(salt, 'hex'), { N: Number(N), r: Number(r), p: Number(p) });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
