import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { AuditService } from '../auth/audit.service';
import { KeyService } from '../auth/key.service';
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
import { AuditController } from './keys/audit.controller';
import { KeysController } from './keys/keys.controller';
import { ModelsController } from './models/models.controller';
import { AccessGuard } from './security/access.guard';
import { AccessPolicy } from './security/access-policy';
import { AuditInterceptor } from './security/audit.interceptor';
import { RequestTimeoutInterceptor } from './security/request-timeout.interceptor';
import { FLEET, FleetController, WorkersController } from './fleet/fleet.controller';
import { DashboardController } from './dashboard/dashboard.controller';
import { DashboardService } from '../trials/dashboard/dashboard.service';
import { MONITORED_CONTEXT, MonitoringController } from './monitoring/monitoring.controller';

/** The HTTP front door over an already-built service context, for a service listening on `listenHost`. */
@Module({})
export class AppModule {
  static forContext(context: ServiceContext, listenHost: string = context.settings.host): DynamicModule {
    const security = context.settings.security;
    return {
      module: AppModule,
      controllers: [
        ExperimentsController,
        LeaderboardController,
        ModelsController,
        ImportanceController,
        KeysController,
        AuditController,
        FleetController,
        WorkersController,
        MonitoringController,
        DashboardController,
      ],
      providers: [
        { provide: ExperimentService, useValue: context.experiments },
        { provide: RegistryService, useValue: context.registry },
        { provide: PromotionService, useValue: context.promotions },
        { provide: PredictionService, useValue: context.serving },
        { provide: KeyService, useValue: context.keys },
        { provide: AuditService, useValue: context.audit },
        { provide: AccessPolicy, useValue: new AccessPolicy(context.keys, security, listenHost) },
        { provide: APP_GUARD, useClass: AccessGuard },
        { provide: APP_INTERCEPTOR, useValue: new RequestTimeoutInterceptor(security.requestTimeoutSec * 1000) },
        { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
        { provide: FLEET, useValue: context.fleet ?? null },
        { provide: ImportanceService, useValue: context.importance },
        { provide: MONITORED_CONTEXT, useValue: context },
        { provide: DashboardService, useValue: context.dashboard },
        { provide: APP_FILTER, useClass: DomainExceptionFilter },
      ],
    };
  }
}
