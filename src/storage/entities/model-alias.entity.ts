import { Column, Entity, PrimaryColumn } from 'typeorm';
import { numberTransformer } from './column-transformers';

/** A movable name (`production`, `staging`, ...) pointing at one version of a model. */
@Entity('model_alias')
export class ModelAliasEntity {
  @PrimaryColumn('integer', { name: 'model_id' })
  modelId!: number;

  @PrimaryColumn('varchar', { length: 100 })
  alias!: string;

  @Column('integer')
  version!: number;

  @Column('bigint', { name: 'updated_at', transformer: numberTransformer })
  updatedAt!: number;
}
