import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ServiceContext } from '../context/service-context';
import { PredictionService } from '../registry/prediction.service';
import { PromotionService } from '../registry/promotion.service';
import { RegistryService } from '../registry/registry.service';
import { ExperimentService } from '../trials/experiment.service';
import { ImportanceService } from '../trials/importance.service';
import { DomainExceptionFilter } from './domain-exception.filter';
import { ExperimentsController } from './experiments/experiments.controller';
import { ImportanceController } from './experiments/importance.controller';
import { LeaderboardController } from './experiments/leaderboard.controller';
import { ModelsController } from './models/models.controller';
import { DashboardController } from './dashboard/dashboard.controller';
import { DashboardService } from '../trials/dashboard/dashboard.service';
import { MONITORED_CONTEXT, MonitoringController } from './monitoring/monitoring.controller';

/** The HTTP front door over an already-built service context. */
@Module({})
export class AppModule {
  static forContext(context: ServiceContext): DynamicModule {
    return {
      module: AppModule,
      controllers: [ExperimentsController, LeaderboardController, ModelsController, ImportanceController, MonitoringController, DashboardController],
      providers: [
        { provide: ExperimentService, useValue: context.experiments },
        { provide: RegistryService, useValue: context.registry },
        { provide: PromotionService, useValue: context.promotions },
        { provide: PredictionService, useValue: context.serving },
        { provide: ImportanceService, useValue: context.importance },
        { provide: MONITORED_CONTEXT, useValue: context },
        { provide: DashboardService, useValue: context.dashboard },
        { provide: APP_FILTER, useClass: DomainExceptionFilter },
      ],
    };
  }
}
