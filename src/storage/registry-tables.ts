import { ModelAliasEntity } from './entities/model-alias.entity';
import { ModelVersionEntity } from './entities/model-version.entity';
import { RegisteredModelEntity } from './entities/registered-model.entity';
import { Registry1732270000000 } from './migrations/1732270000000-registry.migration';
import { ModelVersionCounter1732290000000 } from './migrations/1732290000000-model-version-counter.migration';

/**
 * Entities and migrations of the model registry, kept apart so the registry's tables can be added
 * without touching the experiment schema.
 */
export const REGISTRY_ENTITIES: Function[] = [RegisteredModelEntity, ModelVersionEntity, ModelAliasEntity];

/** Registry migrations, applied after the experiment schema (TypeORM orders all migrations by timestamp). */
export const REGISTRY_MIGRATIONS: Function[] = [Registry1732270000000, ModelVersionCounter1732290000000];
