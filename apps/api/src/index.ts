export { createApp, type AppDeps } from './app.js';
export { loadApiConfig, ConfigError, type ApiConfig } from './config.js';
export { startApi, type ApiRuntime, type StartApiOptions } from './runtime.js';
