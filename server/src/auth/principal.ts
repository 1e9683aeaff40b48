/** What an API token may do: each role can do everything the roles before it can. */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: the token (or the session signed in with it) that authenticated a request. */
export interface Principal {
  readonly tokenId: string;
  readonly tokenName: string;
  readonly role: Role;
}

/** True when `role` includes the rights of `required` (admin ⊇ operator ⊇ viewer). */
export function roleAtLeast(role: Role, required: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(required);
}

/** True when `value` names a role. */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
