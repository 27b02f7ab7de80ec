import { INestApplication, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { experimentJsonSchema } from '../trials/experiment-validation';
import { ServiceContext } from '../context/service-context';
import { AppModule } from './app.module';
import { bodyParseErrorHandler } from './request-body-errors';

/** Largest request body accepted (a config, or a batch of prediction rows). */
export const MAX_BODY_BYTES = '5mb';

/** Content types read as YAML experiment configs. */
export const YAML_CONTENT_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];

/** Builds the Nest application: routes under `/api`, YAML bodies, the OpenAPI document at `/docs`. */
export async function createHttpApp(context: ServiceContext, logLevels: LogLevel[] = ['error', 'warn']): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forContext(context), { logger: logLevels, bodyParser: false });
  app.useBodyParser('json', { limit: MAX_BODY_BYTES });
  app.useBodyParser('text', { type: YAML_CONTENT_TYPES, limit: MAX_BODY_BYTES });
  app.use(bodyParseErrorHandler);
  app.setGlobalPrefix('api');
  app.enableShutdownHooks();
  const config = new DocumentBuilder()
    .setTitle('hpo-service')
    .setDescription('Hyperparameter optimisation: experiments, trials, leaderboards, model registry and serving.')
    .setVersion('0.1.0')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ExperimentConfig: experimentJsonSchema() as never } };
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json' });
  return app;
}
