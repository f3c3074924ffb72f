import { contextBridge } from 'electron';

/**
 * The preload exposes a frozen, minimal surface to the renderer. The API channels arrive with the
 * UI issue; for now the renderer learns only that it runs inside the desktop shell.
 */
contextBridge.exposeInMainWorld('workbench', Object.freeze({ shell: 'electron' as const }));
