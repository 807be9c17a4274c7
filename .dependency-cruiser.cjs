/**
 * Import boundaries from ../shared/STYLE.md, checked in CI (`npm run depcheck`, part of `npm test`).
 * Type-only imports are allowed across layers where noted: they vanish at run time.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'modules-not-to-transports',
      comment: 'Rule 1: a module never imports web/**, jobs/**, app.ts, main.ts, boot.ts or services.ts.',
      severity: 'error',
      from: { path: '^src/modules/' },
      to: { path: '^src/(web/|jobs/|app\\.ts|main\\.ts|boot\\.ts|services\\.ts)' },
    },
    {
      name: 'modules-not-to-http',
      comment: 'Rule 1: modules know nothing of the HTTP framework.',
      severity: 'error',
      from: { path: '^src/modules/' },
      to: { path: 'node_modules/(hono|@hono/)' },
    },
    {
      name: 'module-through-index',
      comment: 'Rule 2: a module reaches another only through its index.ts.',
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/' },
      to: { path: '^src/modules/([^/]+)/', pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$'] },
    },
    {
      name: 'outside-through-index',
      comment: 'Rule 2, from the outside: web, jobs and the composition root use a module through its index.ts.',
      severity: 'error',
      from: { path: '^src/(web|jobs)/|^src/[^/]+\\.ts$' },
      to: { path: '^src/modules/[^/]+/', pathNot: '^src/modules/[^/]+/index\\.ts$' },
    },
    {
      name: 'no-module-cycles',
      comment: 'Rule 2: no cycles between modules.',
      severity: 'error',
      from: { path: '^src/modules/' },
      to: { circular: true, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'pure-files-do-no-io',
      comment: 'Rule 3: rules, policies and workflows do no I/O (no database, files, network or environment).',
      severity: 'error',
      from: { path: '\\.(workflow|rules|policy)\\.ts$' },
      to: {
        path: ['^src/db/', '^src/kernel/(db|logger|metrics)\\.ts$', 'node_modules/(pg|kysely|@electric-sql|mqtt|aedes)/', '\\.(repository|service)\\.ts$'],
        pathNot: [],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'pure-files-no-node-io',
      comment: 'Rule 3: no node I/O modules in pure files.',
      severity: 'error',
      from: { path: '\\.(workflow|rules|policy)\\.ts$' },
      to: { dependencyTypes: ['core'], path: '^(node:)?(fs|net|http|https|child_process|dgram|dns|tls|worker_threads)(/|$)' },
    },
    {
      name: 'sql-in-repositories',
      comment: 'Rule 4: SQL (the query builder) appears only in *.repository.ts and src/db/** (kernel/db.ts holds the prepared-query helper).',
      severity: 'error',
      from: { path: '^src/', pathNot: ['\\.repository\\.ts$', '^src/db/', '^src/kernel/db\\.ts$', '\\.test\\.tsx?$'] },
      to: { path: 'node_modules/(kysely|pg)/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'kernel-is-self-contained',
      comment: 'Rule 5: kernel/** imports nothing of the project outside kernel/.',
      severity: 'error',
      from: { path: '^src/kernel/' },
      to: { path: '^src/', pathNot: '^src/kernel/' },
    },
    {
      name: 'no-test-code-in-product',
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.test\\.tsx?$' },
      to: { path: '^(test|bench|scripts)/|\\.test\\.tsx?$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.tsx', '.js'] },
  },
};
