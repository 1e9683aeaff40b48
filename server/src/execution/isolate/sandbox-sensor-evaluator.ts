import type { SensorEvaluator } from '../../automation/sensor-runner.js';
import type { StepSandbox } from './step-sandbox.port.js';

/** Evaluates sensors in the sandbox's isolates; a shutdown stops an evaluation under way. */
export function sandboxSensorEvaluator(sandbox: StepSandbox): SensorEvaluator {
  return async (sensor, cursor, signal) => {
    const task = sandbox.runSensor(sensor.name, cursor, {
      log: () => {},
      checkpoint: () => Promise.reject(new Error('a sensor cannot checkpoint: return a cursor instead')),
    });
    const onAbort = () => task.stop('canceled', 'Weir is shutting down');
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const outcome = await task.outcome;
      if (outcome.ok) return outcome.result;
      const error = new Error(outcome.error.message);
      error.name = outcome.error.name;
      throw error;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  };
}
