import type { EntityManager } from 'typeorm';
import type { TableColumn } from '../sdk/table-metadata.js';
import { MaterializationEntity } from '../storage/entities/materialization.entity.js';

/**
 * The columns of the latest materialization of `assetKey` (and `partitionKey`) that was a
 * table, or undefined when there is none: the schema a new materialization is compared with.
 */
export async function previousTableColumns(
  manager: EntityManager,
  assetKey: string,
  partitionKey: string,
): Promise<readonly TableColumn[] | undefined> {
  const row = await manager
    .getRepository(MaterializationEntity)
    .createQueryBuilder('m')
    .select(['m.id', 'm.tableMetadata'])
    .where('m.assetKey = :assetKey AND m.partitionKey = :partitionKey AND m.tableMetadata IS NOT NULL', {
      assetKey,
      partitionKey,
    })
    .orderBy('m.createdAt', 'DESC')
    .limit(1)
    .getOne();
  return row?.tableMetadata?.columns;
}
