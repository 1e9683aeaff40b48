import { AttemptEntity } from './attempt.entity.js';
import { CheckpointEntity } from './checkpoint.entity.js';
import { DefinitionSnapshotEntity } from './definition-snapshot.entity.js';
import { EventEntity } from './event.entity.js';
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
];
