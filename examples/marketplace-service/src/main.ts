import { initTelemetry } from '@agent-telemetry/node';
initTelemetry();
