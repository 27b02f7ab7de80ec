import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** One final metric of a trial, a row each, so any metric can rank trials through an index. */
@Entity('trial_metric')
@Index('idx_trial_metric_rank', ['experimentId', 'name', 'value'])
@Index('idx_trial_metric_global', ['name', 'value'])
export class TrialMetricEntity {
  @PrimaryColumn('integer', { name: 'trial_id' })
  trialId!: number;

  @PrimaryColumn('varchar', { length: 100 })
  name!: string;

  @Column('integer', { name: 'experiment_id' })
  experimentId!: number;

  @Column('double precision')
  value!: number;
}
