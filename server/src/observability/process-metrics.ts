import type { ProcessInfo } from '../api/api-tokens.js';
import type { ScalarFamily } from './metric-families.js';

/** `weir_up`, `weir_info`, `weir_assets` and the process's start time: what is scraped. */
export function processMetrics(info: ProcessInfo, assetCount: number): ScalarFamily[] {
  const startedAt = Date.now() / 1000 - process.uptime();
  return [
    { name: 'weir_up', help: 'Always 1: this Weir process answers scrapes.', type: 'gauge', samples: [{ value: 1 }] },
    {
      name: 'weir_info',
      help: 'What this process is (value always 1).',
      type: 'gauge',
      samples: [{ labels: { mode: info.mode, role: info.role, database: info.database }, value: 1 }],
    },
    {
      name: 'weir_assets',
      help: 'Assets (and source assets) in the loaded definitions.',
      type: 'gauge',
      samples: [{ value: assetCount }],
    },
    {
      name: 'weir_process_start_time_seconds',
      help: 'Start time of this process, in seconds since the Unix epoch.',
      type: 'gauge',
      samples: [{ value: Math.round(startedAt * 1000) / 1000 }],
    },
  ];
}
