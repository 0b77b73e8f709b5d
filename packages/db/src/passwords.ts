import { hash, verify } from '@node-rs/argon2';

// argon2id with OWASP's second recommended setting (19 MiB, 2 passes, 1 lane): about 25 ms on one of
// our cores, so a sign-in stays quick while a stolen hash costs a guesser the same for every try.
// algorithm 2 is Argon2id (@node-rs/argon2's Algorithm is a const enum, which verbatimModuleSyntax cannot read).
const OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

// Verified against when the email names nobody (or someone with no password yet), so a wrong email
// takes as long to refuse as a wrong password and the answer's timing does not say who has an account.
let decoy: Promise<string> | null = null;

/** Whether the password matches the stored hash; a missing hash is checked against a decoy and fails. */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) {
    decoy ??= hashPassword('decoy password that matches nothing');
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  try {
    return await verify(stored, password);
  } catch {
    return false; // a damaged hash is a failed sign-in, not a server error
  }
}
