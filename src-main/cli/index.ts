import { errorReport } from './errorReport';
import { runCli } from './main';

// an error escaping a callback (an event, a timer) still ends with one clear line, not a stack trace
const fatal = (error: unknown): void => {
  const report = errorReport(error);
  process.stderr.write(`workbench: ${report.text}\n`);
  process.exit(report.exitCode);
};
process.on('uncaughtException', fatal);
process.on('unhandledRejection', fatal);

void runCli(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
