import { createApi, defaultTransport, type Api } from './api';

let instance: Api | null = null;

/** The app's one API client, over IPC in Electron or HTTP in browser mode (created before routing reads the hash). */
export function useApi(): Api {
  instance ??= createApi(defaultTransport());
  return instance;
}
