import { SetMetadata } from '@nestjs/common';
import type { Role } from './principal.js';

/** Metadata key of {@link RequireRole}. */
export const REQUIRED_ROLE = 'weir:required-role';

/**
 * The role a REST handler (or every handler of a controller) needs, instead of the default:
 * viewer for GET, HEAD and OPTIONS, operator for every other method.
 */
export const RequireRole = (role: Role) => SetMetadata(REQUIRED_ROLE, role);
