import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { numberTransformer } from './column-transformers';

/**
 * One immutable version of a registered model: where it came from, how good it was, what it
 * expects as input, and the checksummed files of its copied artifact.
 */
@Entity('model_version')
@Index('idx_model_version_number', ['modelId', 'version'], { unique: true })
export class ModelVersionEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column('integer', { name: 'model_id' })
  modelId!: number;

  /** 1, 2, ... within the model. */
  @Column('integer')
  version!: number;

  @Column('integer', { name: 'experiment_id' })
  experimentId!: number;

  @Column('integer', { name: 'trial_id' })
  trialId!: number;

  @Column('integer', { name: 'trial_number' })
  trialNumber!: number;

  /** JSON: the trial's parameters. */
  @Column('text')
  params!: string;

  /** JSON: the trial's final metrics. */
  @Column('text')
  metrics!: string;

  @Column('varchar', { length: 100, name: 'objective_metric' })
  objectiveMetric!: string;

  @Column('varchar', { length: 8 })
  direction!: string;

  @Column('double precision', { name: 'objective_value' })
  objectiveValue!: number;

  @Column('varchar', { length: 32, nullable: true })
  backend!: string | null;

  /** JSON: the input schema (task, features, classes). */
  @Column('text', { name: 'input_schema' })
  inputSchema!: string;

  /** JSON: the artifact files with size and SHA-256. */
  @Column('text')
  files!: string;

  @Column('text', { nullable: true })
  description!: string | null;

  /** JSON: free-form string tags. */
  @Column('text', { default: '{}' })
  tags!: string;

  @Column('boolean', { default: false })
  archived!: boolean;

  /** JSON, for a quantized variant: dtype, size ratio, validation-metric change. */
  @Column('text', { nullable: true })
  quantization!: string | null;

  @Column('bigint', { name: 'created_at', transformer: numberTransformer })
  createdAt!: number;
}
