/** Where the new project gets what it depends on. */
export interface ProjectSources {
  /** What package.json depends on for `weir`: a `file:` path to the installation that ran `weir init`. */
  readonly weirDependency: string;
  /**
   * The folder holding `@types/node` beside that installation, if any: the project's tsconfig
   * reads Node's types from there, since they cannot be installed without a registry.
   */
  readonly typeRoot: string | undefined;
}

/** The files `weir init` writes, by path inside the new project. */
export function projectFiles(name: string, { weirDependency, typeRoot }: ProjectSources): Record<string, string> {
  return {
    'package.json': `${JSON.stringify(
      {
        name,
        version: '0.1.0',
        private: true,
        type: 'module',
        scripts: { dev: 'weir dev', materialize: "weir materialize '*'", graph: 'weir graph', test: 'weir test' },
        dependencies: { weir: weirDependency },
      },
      null,
      2,
    )}\n`,
    // A file: dependency is linked, not copied, so its own dependencies come from its folder
    // and `npm install` needs no registry.
    '.npmrc': 'install-links=false\n',
    '.gitignore': 'node_modules/\n.weir/\ndist/\n',
    'tsconfig.json': `${JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2023',
          lib: ['ES2023'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noUncheckedIndexedAccess: true,
          skipLibCheck: true,
          noEmit: true,
          types: ['node'],
          ...(typeRoot ? { typeRoots: [typeRoot] } : {}),
        },
        include: ['assets', 'test'],
      },
      null,
      2,
    )}\n`,
    'assets/index.ts': `// The asset project: Weir loads every asset exported from here (WEIR_PROJECT, default ./assets).
export * from './orders.js';
`,
    'assets/orders.ts': ORDERS,
    'test/orders.test.ts': ORDERS_TEST,
    'README.md': `# ${name}

A Weir asset project: assets in \`assets/\`, their tests in \`test/\`.

\`\`\`sh
npm install
npx weir dev                 # console and API on http://127.0.0.1:3000, reloads on edits
npx weir materialize '*'     # from another shell: run every asset
npm test                     # the tests in test/, with materializeForTest from weir/testing
\`\`\`
`,
  };
}

const ORDERS = `import { asset, check, dailyPartitions, maxLag } from 'weir';

/** One order of the day. Replace \`orders\` with a query to your own source. */
export interface Order {
  readonly id: string;
  readonly day: string;
  readonly amount: number;
}

const days = dailyPartitions({ start: '2026-01-01' });

export const orders = asset({
  key: 'raw/orders',
  group: 'raw',
  description: "The day's orders (made up here: replace with your source)",
  partitions: days,
  materialize: (ctx): Order[] => {
    const day = ctx.partition!;
    const count = 3 + (Number(day.slice(-2)) % 5);
    ctx.log.info(\`generating \${count} orders for \${day}\`);
    return Array.from({ length: count }, (_, i) => ({ id: \`\${day}-\${i + 1}\`, day, amount: 10 * (i + 1) }));
  },
  checks: [check('ids are unique', (_ctx, rows: Order[]) => new Set(rows.map((o) => o.id)).size === rows.length)],
});

export const dailyRevenue = asset({
  key: 'reports/daily_revenue',
  group: 'reports',
  description: 'Revenue per day',
  deps: { orders },
  partitions: days,
  // Each day is due a day after it ends; \`weir freshness\` shows the board.
  freshness: maxLag('1d', { warn: '12h' }),
  materialize: (ctx, { orders }) => {
    ctx.metadata({ orders: orders.length });
    return { day: ctx.partition!, orders: orders.length, revenue: orders.reduce((sum, o) => sum + o.amount, 0) };
  },
  checks: [check('revenue is not negative', (_ctx, day: { revenue: number }) => day.revenue >= 0)],
});
`;

const ORDERS_TEST = `import assert from 'node:assert/strict';
import { test } from 'node:test';
import { materializeForTest } from 'weir/testing';
import { dailyRevenue, orders } from '../assets/index.js';

test('daily revenue sums the orders of its day', async () => {
  const run = await materializeForTest([orders, dailyRevenue], { partition: '2026-03-02' });
  const day = run.of(dailyRevenue).value;
  assert.equal(day.orders, 5);
  assert.equal(day.revenue, 10 + 20 + 30 + 40 + 50);
  assert.ok(run.of(orders).checks.every((c) => c.passed));
});

test('daily revenue from orders given as input', async () => {
  const run = await materializeForTest([dailyRevenue], {
    partition: '2026-03-02',
    inputs: { 'raw/orders': [{ id: 'a', day: '2026-03-02', amount: 7 }] },
  });
  assert.deepEqual(run.of(dailyRevenue).value, { day: '2026-03-02', orders: 1, revenue: 7 });
});
`;
