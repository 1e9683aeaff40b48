import { AlertDeliveryEntity } from './alert-delivery.entity.js';
import { AttemptEntity } from './attempt.entity.js';
import { CheckResultEntity } from './check-result.entity.js';
import { CheckpointEntity } from './checkpoint.entity.js';
import { DefinitionSnapshotEntity } from './definition-snapshot.entity.js';
import { EventEntity } from './event.entity.js';
import { FreshnessStateEntity } from './freshness-state.entity.js';
import { MaterializationEntity } from './materialization.entity.js';
import { ObservationEntity } from './observation.entity.js';
import { RunEntity } from './run.entity.js';
import { StepEntity } from './step.entity.js';

export const ENTITIES = [
  RunEntity,
  StepEntity,
  AttemptEntity,
  MaterializationEntity,
  EventEntity,
  CheckpointEntity,
  DefinitionSnapshotEntity,
  ObservationEntity,
  CheckResultEntity,
  FreshnessStateEntity,
  AlertDeliveryEntity,
];
