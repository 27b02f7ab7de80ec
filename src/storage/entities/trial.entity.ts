import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { numberTransformer } from './column-transformers';

/** One trial of an experiment: its parameters, state, final metrics and outcome. */
@Entity('trial')
@Index('idx_trial_experiment_number', ['experimentId', 'number'], { unique: true })
@Index('idx_trial_leaderboard', ['experimentId', 'state', 'value'])
export class TrialEntity {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column('integer', { name: 'experiment_id' })
  experimentId!: number;

  /** 1, 2, ... within the experiment, gap-free. */
  @Column('integer')
  number!: number;

  @Column('varchar', { length: 16 })
  state!: string;

  @Column('text')
  params!: string;

  /** Final metrics as JSON (also one row each in `trial_metric`). */
  @Column('text', { nullable: true })
  metrics!: string | null;

  /** The objective metric's final value. */
  @Column('double precision', { nullable: true })
  value!: number | null;

  @Column('text', { nullable: true })
  error!: string | null;

  /** True when the trial was RUNNING in a process that died; such trials do not count against the budget. */
  @Column('boolean', { default: false })
  interrupted!: boolean;

  /** The trial whose parameters this one runs again (after an interruption). */
  @Column('integer', { name: 'repeat_of', nullable: true })
  repeatOf!: number | null;

  @Column('varchar', { length: 32, nullable: true })
  backend!: string | null;

  /** The last step reported as an intermediate metric. */
  @Column('integer', { name: 'last_step', nullable: true })
  lastStep!: number | null;

  @Column('text', { name: 'artifact_dir', nullable: true })
  artifactDir!: string | null;

  @Column('bigint', { name: 'created_at', transformer: numberTransformer })
  createdAt!: number;

  @Column('bigint', { name: 'started_at', nullable: true, transformer: numberTransformer })
  startedAt!: number | null;

  @Column('bigint', { name: 'finished_at', nullable: true, transformer: numberTransformer })
  finishedAt!: number | null;
}
