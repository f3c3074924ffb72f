import { ref } from 'vue';

/**
 * Browser mode: why the server refused this page's session token (the address was opened without
 * it, or from another `workbench serve`). Set by the HTTP transport on a 401; while set, the app
 * shows this one error and what to do instead of views that could only fail or look empty.
 */
export const authFailure = ref<string | null>(null);
