import { InitialSchema1763726400000 } from './1763726400000-initial-schema.js';
import { AssetChecks1763726500000 } from './1763726500000-asset-checks.js';
import { Freshness1763726600000 } from './1763726600000-freshness.js';
import { AutomationInbox1763726700000 } from './1763726700000-automation-inbox.js';
import { SensorStates1763726800000 } from './1763726800000-sensor-states.js';
import { Partitions1763726900000 } from './1763726900000-partitions.js';
import { ApiTokens1763727000000 } from './1763727000000-api-tokens.js';
import { ApiReadIndexes1763727100000 } from './1763727100000-api-read-indexes.js';
import { BackfillRetries1763727200000 } from './1763727200000-backfill-retries.js';
import { SixtyFourBitSizes1763727300000 } from './1763727300000-sixty-four-bit-sizes.js';
import { RunConfig1765100000000 } from './1765100000000-run-config.js';
import { TableMetadata1765300000000 } from './1765300000000-table-metadata.js';
import { AutomationConditionState1765400000000 } from './1765400000000-automation-condition-state.js';

/** Every migration, oldest first. TypeORM runs the pending ones at start-up. */
export const MIGRATIONS = [
  InitialSchema1763726400000,
  AssetChecks1763726500000,
  Freshness1763726600000,
  AutomationInbox1763726700000,
  SensorStates1763726800000,
  Partitions1763726900000,
  ApiTokens1763727000000,
  ApiReadIndexes1763727100000,
  BackfillRetries1763727200000,
  SixtyFourBitSizes1763727300000,
  RunConfig1765100000000,
  TableMetadata1765300000000,
  AutomationConditionState1765400000000,
];
