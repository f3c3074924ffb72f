// Worker bootstrap used when running from source (tests, CLI through tsx): registers tsx inside
// the worker thread, then loads the TypeScript entry. The built app uses the bundled analysisWorker.js.
import { register } from 'tsx/esm/api';

register();
await import('./analysisWorker.ts');
