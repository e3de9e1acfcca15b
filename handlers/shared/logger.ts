/**
 * One Powertools logger per bundle, created at module scope (reused across invocations).
 * It reads POWERTOOLS_SERVICE_NAME and POWERTOOLS_LOG_LEVEL; the service name falls
 * back to the handler's folder name given by the caller.
 */
import { Logger } from '@aws-lambda-powertools/logger';

const loggers = new Map<string, Logger>();

export function getLogger(serviceName: string): Logger {
  let logger = loggers.get(serviceName);
  if (!logger) {
    logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME || serviceName });
    loggers.set(serviceName, logger);
  }
  return logger;
}
