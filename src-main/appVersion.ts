import pkg from '../package.json';

/** The app's version, recorded with every run for provenance. */
export const APP_VERSION: string = pkg.version;
