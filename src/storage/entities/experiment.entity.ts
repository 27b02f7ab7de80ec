import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { numberTransformer } from './column-transformers';

/** A stored experiment: its validated spec and where it stands. */
@Entity('experiment')
@Index('idx_experiment_state', ['state', 'id'])
export class ExperimentEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column('varchar', { length: 100 })
  name!: string;

  @Column('varchar', { length: 16 })
  state!: string;

  /** The validated spec as JSON (paths absolute, defaults filled, seed fixed). */
  @Column('text')
  spec!: string;

  @Column('varchar', { length: 100, name: 'objective_metric' })
  objectiveMetric!: string;

  @Column('varchar', { length: 8 })
  direction!: string;

  @Column('varchar', { length: 32 })
  algorithm!: string;

  /** The dataset's file name for tfjs trials, so leaderboards can span experiments on one dataset. */
  @Index('idx_experiment_dataset')
  @Column('varchar', { length: 255, nullable: true })
  dataset!: string | null;

  @Column('text', { name: 'stop_reason', nullable: true })
  stopReason!: string | null;

  /** The process that runs the experiment while it is RUNNING; cleared when it stops. */
  @Column('varchar', { length: 64, nullable: true })
  owner!: string | null;

  /** When the owner last confirmed it is alive; a stale heartbeat lets another process take over. */
  @Column('bigint', { name: 'heartbeat_at', nullable: true, transformer: numberTransformer })
  heartbeatAt!: number | null;

  @Column('bigint', { name: 'created_at', transformer: numberTransformer })
  createdAt!: number;

  @Column('bigint', { name: 'started_at', nullable: true, transformer: numberTransformer })
  startedAt!: number | null;

  @Column('bigint', { name: 'finished_at', nullable: true, transformer: numberTransformer })
  finishedAt!: number | null;
}
