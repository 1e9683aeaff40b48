import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { AssetSnapshot } from './entities/definition-snapshot.entity.js';
import { DefinitionSnapshotEntity } from './entities/definition-snapshot.entity.js';

/** Stores the deployed definitions once per distinct hash and returns the snapshot id. */
export async function saveSnapshot(dataSource: DataSource, hash: string, assets: AssetSnapshot[]): Promise<string> {
  return dataSource.transaction(async (manager) => {
    const repository = manager.getRepository(DefinitionSnapshotEntity);
    const existing = await repository.findOneBy({ hash });
    if (existing) return existing.id;
    const id = randomUUID();
    await repository.createQueryBuilder().insert().values({ id, hash, assets }).orIgnore().execute();
    return (await repository.findOneByOrFail({ hash })).id;
  });
}
