import { InitialSchema1763726400000 } from './1763726400000-initial-schema.js';

/** Every migration, oldest first. TypeORM runs the pending ones at start-up. */
export const MIGRATIONS = [InitialSchema1763726400000];
