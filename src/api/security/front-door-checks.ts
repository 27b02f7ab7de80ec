import { allowedHosts, hostAllowed } from '../../auth/network-policy';
import type { SecuritySettings } from '../../config/security-settings';

/** The parts of Express's request and response these checks use. */
interface Req {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
}
interface Res {
  setHeader(name: string, value: string): void;
  status(code: number): { json(body: unknown): void };
}
type Next = () => void;

/** Media types a POST may carry: JSON, or YAML for experiment configs. */
const BODY_TYPES = /^(application\/json|application\/(x-)?yaml|text\/(x-)?yaml)(\s*;.*)?$/i;

/** A PUT may also carry raw bytes (a worker's artifact upload): PUT is never a cross-site simple request. */
const PUT_TYPES = /^(application\/json|application\/(x-)?yaml|text\/(x-)?yaml|application\/octet-stream)(\s*;.*)?$/i;

const header = (req: Req, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

function refuse(res: Res, statusCode: number, error: string, message: string): void {
  res.status(statusCode).json({ statusCode, error, message });
}

/**
 * Headers every response carries: no sniffing, no framing, no referrer, and for the API a policy
 * that lets a response load nothing (the API answers JSON only).
 */
export function securityHeaders(req: Req, res: Res, next: Next): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  if (req.path.startsWith('/api')) res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
  // The dashboard: its own bundle only; charts draw on canvases and style themselves inline.
  else if (!req.path.startsWith('/docs'))
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    );
  next();
}

/**
 * The checks before any route runs: the Host header must be one the operator allowed (against DNS
 * rebinding); a browser's cross-origin request must come from an origin in `HPO_CORS_ORIGINS`; a
 * POST must say it carries JSON or YAML, and a PUT or PATCH with a body too, so a cross-site
 * "simple" request (a form, `text/plain`, no preflight) cannot act. `/health` answers whatever the
 * Host, for load balancers that probe by address.
 */
export function frontDoorChecks(settings: SecuritySettings, listenHost: string): (req: Req, res: Res, next: Next) => void {
  const hosts = allowedHosts(listenHost, settings.allowedHosts);
  const origins = new Set(settings.corsOrigins.map((o) => o.toLowerCase()));
  return (req, res, next) => {
    if (!req.path.startsWith('/health') && !hostAllowed(header(req, 'host'), hosts))
      return refuse(
        res,
        421,
        'Misdirected Request',
        `this service does not answer to host ${JSON.stringify(header(req, 'host') ?? '')}: the operator lists its names in HPO_ALLOWED_HOSTS`,
      );
    const origin = header(req, 'origin');
    if (origin !== undefined && origin !== 'null' && !origins.has(origin.toLowerCase()) && !sameOrigin(origin, header(req, 'host')))
      return refuse(res, 403, 'Forbidden', `cross-origin requests from ${origin} are not allowed: the operator lists allowed origins in HPO_CORS_ORIGINS`);
    if (origin === 'null' && req.method !== 'GET' && req.method !== 'HEAD')
      return refuse(res, 403, 'Forbidden', 'requests from an opaque origin may not change anything');
    const type = header(req, 'content-type');
    const hasBody = Number(header(req, 'content-length') ?? 0) > 0 || header(req, 'transfer-encoding') !== undefined;
    const types = req.method === 'PUT' ? PUT_TYPES : BODY_TYPES;
    if ((req.method === 'POST' || ((req.method === 'PUT' || req.method === 'PATCH') && hasBody)) && !(type && types.test(type)))
      return refuse(
        res,
        415,
        'Unsupported Media Type',
        `a ${req.method} must carry Content-Type application/json (or a YAML type for experiment configs), got ${type ? JSON.stringify(type) : 'none'}`,
      );
    next();
  };
}

function sameOrigin(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host.toLowerCase() === host.toLowerCase();
  } catch {
    return false;
  }
}
