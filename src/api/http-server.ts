import { AddressInfo, Server } from 'node:net';
import { INestApplication, LogLevel } from '@nestjs/common';
import { SettingsError } from '../domain/errors';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { componentSchemas } from './openapi';
import { serviceVersion } from '../config/service-version';
import { ServiceContext } from '../context/service-context';
import { AppModule } from './app.module';
import { frontDoorChecks, securityHeaders } from './security/front-door-checks';
import { MAX_ARTIFACT_FILE_BYTES } from '../fleet/artifact-intake';
import { bodyParseErrorHandler, limitConfigBodies } from './request-body-errors';
import { httpMetricsMiddleware } from './monitoring/http-metrics.middleware';
import { MONITORING_PATHS } from './monitoring/monitoring.controller';
import { dashboardAssetsDir } from './dashboard/static-assets';

/** Largest request body accepted (a config, or a batch of prediction rows). */
export const MAX_BODY_BYTES = '5mb';

/** Where the OpenAPI page is served (its JSON at `/docs/json`). */
export const DOCS_PATH = '/docs';

/** Content types read as YAML experiment configs. */
export const YAML_CONTENT_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml'];

/**
 * Builds the Nest application: security headers, Host, origin and content-type checks before
 * anything else, CORS only for `HPO_CORS_ORIGINS`, routes under `/api` behind the access guard,
 * YAML bodies, the OpenAPI document at `/docs`.
 */
export async function createHttpApp(
  context: ServiceContext,
  logLevels: LogLevel[] = ['error', 'warn'],
  listenHost: string = context.settings.host,
): Promise<INestApplication> {
  const security = context.settings.security;
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forContext(context, listenHost), { logger: logLevels, bodyParser: false });
  app.disable('x-powered-by');
  app.use(securityHeaders);
  // Counted before the checks below, so refused requests show in the status counts too.
  app.use(httpMetricsMiddleware(context.metrics));
  if (security.corsOrigins.length)
    app.enableCors({
      origin: security.corsOrigins,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['Authorization', 'Content-Type'],
      maxAge: 600,
    });
  app.use(frontDoorChecks(security, listenHost));
  app.useBodyParser('json', { limit: MAX_BODY_BYTES, verify: limitConfigBodies });
  app.useBodyParser('text', { type: YAML_CONTENT_TYPES, limit: MAX_BODY_BYTES, verify: limitConfigBodies });
  // Artifact files a remote worker uploads (PUT /api/fleet/attempts/…/artifacts/…).
  app.useBodyParser('raw', { type: 'application/octet-stream', limit: MAX_ARTIFACT_FILE_BYTES });
  app.use(bodyParseErrorHandler);
  app.setGlobalPrefix('api', { exclude: MONITORING_PATHS });
  // No enableShutdownHooks: the front door that started the app owns the signals (hpo serve's graceful
  // stop), and Nest's hook would close the app and raise the signal again, which reads as a second one.
  const config = new DocumentBuilder()
    .setTitle('hpo-service')
    .setDescription('Hyperparameter optimisation: experiments, trials, leaderboards, model registry and serving.')
    .setVersion(serviceVersion())
    .build();
  const document = SwaggerModule.createDocument(app, config);
  // The schemas are JSON Schema 2020-12 (const, type lists, if/then): OpenAPI 3.1 takes them as they are.
  document.openapi = '3.1.0';
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...(componentSchemas() as Record<string, object>) } };
  // The page's assets are relative to /docs, so /docs/ would load them from /docs/docs/: send it to /docs.
  app.use(DOCS_PATH + '/', (req: { originalUrl: string }, res: { redirect(status: number, url: string): void }, next: () => void) =>
    req.originalUrl === `${DOCS_PATH}/` ? res.redirect(301, DOCS_PATH) : next(),
  );
  SwaggerModule.setup(DOCS_PATH.slice(1), app, document, { jsonDocumentUrl: `${DOCS_PATH.slice(1)}/json` });
  // The dashboard at `/`: static files only (no key needed to load the page; its data comes from /api).
  const web = dashboardAssetsDir();
  if (web)
    app.useStaticAssets(web, {
      index: 'index.html',
      maxAge: '1h',
      setHeaders: (res, path) => path.endsWith('.html') && res.setHeader('Cache-Control', 'no-cache'),
    });
  return app;
}

/**
 * Starts the REST service on `port` and `host`. It listens through Node's server rather than
 * `app.listen`, so that a port in use is one plain sentence (a SettingsError) and not a framework
 * log line first.
 */
export async function openHttpFrontDoor(context: ServiceContext, port: number, host: string): Promise<{ port: number; close(): Promise<void> }> {
  const app = await createHttpApp(context, ['error', 'warn'], host);
  await app.init();
  const server = app.getHttpServer() as Server & { requestTimeout: number; headersTimeout: number };
  // Slow clients may not hold a connection open: the whole request within the timeout, its headers sooner.
  server.requestTimeout = context.settings.security.requestTimeoutSec * 1000;
  server.headersTimeout = Math.min(server.requestTimeout, 20_000);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await app.close().catch(() => undefined);
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new SettingsError(`port ${port} on ${host} is in use: pass --port (or HPO_PORT) another port`);
    throw error;
  }
  // The dashboard is served from here: its largest recent experiments are read into memory now, in
  // the background, with their overview and importance, so the first visit of their page after a
  // start does not wait for 100,000 trials to be read.
  void context.dashboard.readAhead((id) => context.importance.importance(id));
  return { port: (server.address() as AddressInfo).port, close: () => app.close() };
}
