import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { numberTransformer } from './column-transformers';

/** A named model in the registry; its versions and aliases hang off its id. */
@Entity('registered_model')
export class RegisteredModelEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  /** Unique; letters, digits, `-` and `_` (it is also a folder name in the registry store). */
  @Column('varchar', { length: 100, unique: true })
  name!: string;

  @Column('bigint', { name: 'created_at', transformer: numberTransformer })
  createdAt!: number;

  /**
   * The highest version number this model has ever had, deleted versions included: the next
   * version is one more, so a number is never reused while the model exists.
   */
  @Column('integer', { name: 'last_version', default: 0 })
  lastVersion!: number;
}
