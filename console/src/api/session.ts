/**
 * Who is signed in, shared by the whole console (one reactive state, not a store library).
 *
 * Exports:
 * - `useSession()` returns `{ state, role, name, signedIn, checked, signIn, signOut, refresh, can }`:
 *   - `role`, `name`: computed refs (`role` is 'viewer' | 'operator' | 'admin' | null);
 *   - `signedIn`, `checked`: computed booleans (`checked` = the server has been asked at least once);
 *   - `signIn(token)` posts the API token to `/api/session` (the server sets an httpOnly cookie) and
 *     rejects with a {@link SessionError} (`code` UNAUTHENTICATED for a bad token);
 *   - `signOut()` deletes the session; `refresh()` asks `GET /api/session` who we are;
 *   - `can(role)` is true when the signed-in role includes `role` (admin ⊇ operator ⊇ viewer),
 *     e.g. `can('operator')` decides whether Materialize / Re-execute / Cancel buttons are shown.
 * - `Role`, `ROLES`, `SessionError`.
 */
import { computed, reactive, readonly } from 'vue';

/** Roles from weakest to strongest. */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** What `/api/session` returns. */
export interface SessionInfo {
  tokenId: string;
  name: string;
  role: Role;
}

/** A failed sign-in or session check; `code` is UNAUTHENTICATED, RATE_LIMITED, NETWORK_ERROR... */
export class SessionError extends Error {
  override name = 'SessionError';
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

interface SessionState {
  info: SessionInfo | null;
  checked: boolean;
}

const state = reactive<SessionState>({ info: null, checked: false });
let pendingRefresh: Promise<SessionInfo | null> | undefined;

/** The GraphQL enum is upper case (VIEWER), the REST API lower case: accept both. */
function toRole(value: unknown): Role {
  const lower = String(value).toLowerCase();
  return (ROLES as readonly string[]).includes(lower) ? (lower as Role) : 'viewer';
}

function toInfo(body: unknown): SessionInfo {
  const raw = (body ?? {}) as Partial<Record<keyof SessionInfo, unknown>>;
  return { tokenId: String(raw.tokenId ?? ''), name: String(raw.name ?? ''), role: toRole(raw.role) };
}

async function call(method: 'GET' | 'POST' | 'DELETE', body?: unknown): Promise<Response> {
  try {
    return await fetch('/api/session', {
      method,
      credentials: 'same-origin',
      headers:
        body === undefined
          ? { accept: 'application/json' }
          : { 'content-type': 'application/json', accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (cause) {
    throw new SessionError(
      `Cannot reach the Weir server (${cause instanceof Error ? cause.message : String(cause)})`,
      'NETWORK_ERROR',
    );
  }
}

async function errorMessage(response: Response, fallback: string): Promise<string> {
  try {
    const body = (await response.json()) as { message?: unknown; error?: unknown };
    const message = body.message ?? body.error;
    return typeof message === 'string' && message ? message : fallback;
  } catch {
    return fallback;
  }
}

function codeFor(status: number): string {
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'FORBIDDEN';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 400) return 'BAD_USER_INPUT';
  return 'INTERNAL_SERVER_ERROR';
}

/** Asks the server who is signed in (deduplicated while in flight). 401 means "nobody", not an error. */
async function refresh(): Promise<SessionInfo | null> {
  pendingRefresh ??= (async () => {
    try {
      const response = await call('GET');
      if (response.status === 401) {
        state.info = null;
      } else if (!response.ok) {
        throw new SessionError(await errorMessage(response, 'Could not check the session'), codeFor(response.status));
      } else {
        // The server answers 200 { signedIn: false } when nobody is signed in (no error in the
        // browser console for the normal signed-out case).
        const body = (await response.json()) as { signedIn?: boolean };
        state.info = body.signedIn === false ? null : toInfo(body);
      }
      return state.info;
    } finally {
      state.checked = true;
      pendingRefresh = undefined;
    }
  })();
  return pendingRefresh;
}

/** Signs in with an API token (`weir_...`); rejects with a SessionError when the token is refused. */
async function signIn(token: string): Promise<SessionInfo> {
  const response = await call('POST', { token: token.trim() });
  if (!response.ok) {
    const fallback =
      response.status === 401 ? 'This token was not accepted: it may be mistyped or revoked.' : 'Sign-in failed';
    throw new SessionError(await errorMessage(response, fallback), codeFor(response.status));
  }
  state.info = toInfo(await response.json());
  state.checked = true;
  return state.info;
}

/** Signs out (the cookie is cleared by the server); the local state is cleared even if the call fails. */
async function signOut(): Promise<void> {
  try {
    await call('DELETE');
  } finally {
    state.info = null;
    state.checked = true;
  }
}

/** Forgets the session locally, e.g. after an UNAUTHENTICATED error. */
function forget(): void {
  state.info = null;
}

const role = computed<Role | null>(() => state.info?.role ?? null);
const name = computed(() => state.info?.name ?? '');
const signedIn = computed(() => state.info !== null);
const checked = computed(() => state.checked);

/** True when the signed-in role includes `required` (admin ⊇ operator ⊇ viewer). */
function can(required: Role): boolean {
  const current = role.value;
  return current !== null && ROLES.indexOf(current) >= ROLES.indexOf(required);
}

/** The shared session state and its actions; see the file header. */
export function useSession() {
  return { state: readonly(state), role, name, signedIn, checked, signIn, signOut, refresh, forget, can };
}
