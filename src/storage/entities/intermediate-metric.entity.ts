import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One intermediate value reported by a running trial (an epoch's validation loss, say). */
@Entity('intermediate_metric')
export class IntermediateMetricEntity {
  @PrimaryColumn('integer', { name: 'trial_id' })
  trialId!: number;

  @PrimaryColumn('varchar', { length: 100 })
  name!: string;

  @PrimaryColumn('integer')
  step!: number;

  @Column('double precision')
  value!: number;
}
