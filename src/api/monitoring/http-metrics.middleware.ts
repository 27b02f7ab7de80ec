import { ServiceMetrics } from '../../context/service-metrics';

/** The route of a prediction, whose successes count under the model's name. */
const PREDICT_ROUTE = '/api/models/:name/predict';

interface RoutedRequest {
  method: string;
  baseUrl?: string;
  route?: { path?: string };
  params?: Record<string, string>;
}

/**
 * Counts every HTTP request by method, route pattern (never the raw URL, so ids and names do not
 * become labels) and status, and times it. Requests no route matched (static files, 404s) are
 * labelled `unmatched`.
 */
export function httpMetricsMiddleware(metrics: ServiceMetrics) {
  return (req: RoutedRequest, res: { statusCode: number; on(event: 'finish', fn: () => void): void }, next: () => void): void => {
    const end = metrics.httpSeconds.startTimer();
    res.on('finish', () => {
      const route = req.route?.path ? `${req.baseUrl ?? ''}${req.route.path}` : 'unmatched';
      end({ method: req.method, route });
      metrics.httpRequests.inc({ method: req.method, route, status: String(res.statusCode) });
      if (route === PREDICT_ROUTE && res.statusCode < 300 && req.params?.name) metrics.predictions.inc({ model: req.params.name });
    });
    next();
  };
}
