// The design's rules as ESLint rules (see DESIGN.md, "Layout and what may import what"): the
// arrows between folders, pure search, and TSDoc on everything a module exports. `npm test` runs them.
import { dirname, relative, resolve, sep } from 'node:path';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');
const SRC = resolve(ROOT, 'src');

/** What each room of src/ may import, by the room's own folder (or file). Anything not listed is refused. */
const LAYERS = {
  domain: [],
  search: ['search'],
  models: ['models', 'search', 'domain'],
  config: ['config', 'search', 'domain'],
  trials: ['trials', 'config', 'search', 'models', 'domain'],
  registry: ['registry', 'models', 'config', 'search', 'domain'],
  fleet: ['fleet', 'trials', 'models', 'config', 'search', 'domain'],
  // Storage implements the ports the use cases declare, and reads their record types; nothing else of theirs.
  storage: [
    'storage',
    'domain',
    'config',
    'search',
    'trials/ports',
    'trials/trial.types',
    'registry/ports',
    'registry/model-records',
    'models/artifact/input-schema',
    'models/compression/quantized-variant',
    'auth/ports',
    'auth/api-key.types',
    'auth/audit.types',
    'auth/scopes',
  ],
  // Keys, scopes, guards, path roots, audit: over the storage ports and the settings they read.
  auth: ['auth', 'domain', 'config', 'trials/ports', 'registry/ports'],
  context: ['context', 'auth', 'storage', 'trials', 'fleet', 'registry', 'models', 'config', 'search', 'domain'],
  api: ['api', 'auth', 'context', 'trials', 'fleet', 'registry', 'models', 'config', 'search', 'domain'],
  cli: ['cli', 'auth', 'context', 'trials', 'fleet', 'registry', 'models', 'config', 'search', 'domain'],
  main: ['api', 'cli'],
};

/** The room of a file under src/ (`trials`, `main` for src/main.ts), or undefined outside src/. */
function roomOf(file) {
  const rel = relative(SRC, file);
  if (rel.startsWith('..')) return undefined;
  const [first] = rel.split(sep);
  return first.replace(/\.ts$/, '');
}

/** Whether `target` (a path under src/) lies in one of the allowed rooms or sub-paths. */
function allowed(room, target) {
  const rel = relative(SRC, target).split(sep).join('/').replace(/\.ts$/, '');
  return LAYERS[room].some((entry) => rel === entry || rel.startsWith(`${entry}/`));
}

const layerImports = {
  meta: {
    type: 'problem',
    docs: { description: "imports follow the design's arrows between the rooms of src/" },
    schema: [],
    messages: {
      crossing: '{{room}} may not import {{target}} (allowed: {{allowed}}); see DESIGN.md, "what may import what"',
      builtin: 'src/search is pure: no {{name}}',
    },
  },
  create(context) {
    const file = context.filename;
    const room = roomOf(file);
    if (!room || !(room in LAYERS)) return {};
    const check = (node, source) => {
      if (typeof source !== 'string') return;
      if (room === 'search' && (source.startsWith('node:') || /^(fs|path|os|child_process|worker_threads|net|http)$/.test(source))) {
        context.report({ node, messageId: 'builtin', data: { name: source } });
        return;
      }
      if (!source.startsWith('.')) return;
      const target = resolve(dirname(file), source);
      if (relative(SRC, target).startsWith('..')) return;
      if (!allowed(room, target))
        context.report({
          node,
          messageId: 'crossing',
          data: { room: `src/${room}`, target: relative(ROOT, target), allowed: LAYERS[room].join(', ') || 'nothing' },
        });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
      CallExpression: (node) =>
        node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments[0]?.type === 'Literal' && check(node, node.arguments[0].value),
    };
  },
};

const exportedTsdoc = {
  meta: {
    type: 'suggestion',
    docs: { description: 'every exported declaration has a TSDoc comment' },
    schema: [],
    messages: { missing: 'exported {{name}} has no TSDoc comment (/** ... */) saying what it is for' },
  },
  create(context) {
    const source = context.sourceCode;
    const documented = (node) => {
      // A decorated class carries its comment before its first decorator.
      const first = node.declaration?.decorators?.length && node.declaration.decorators[0].range[0] < node.range[0] ? node.declaration.decorators[0] : node;
      const comments = source.getCommentsBefore(first);
      const last = comments[comments.length - 1];
      return last?.type === 'Block' && last.value.startsWith('*');
    };
    return {
      ExportNamedDeclaration(node) {
        if (!node.declaration || documented(node)) return;
        const d = node.declaration;
        const name = d.id?.name ?? d.declarations?.map((v) => v.id.name).join(', ') ?? 'declaration';
        context.report({ node, messageId: 'missing', data: { name } });
      },
      ExportDefaultDeclaration(node) {
        if (!documented(node)) context.report({ node, messageId: 'missing', data: { name: 'default' } });
      },
    };
  },
};

/** The local plugin: `design/layer-imports`, `design/exported-tsdoc`. */
export default { rules: { 'layer-imports': layerImports, 'exported-tsdoc': exportedTsdoc } };
