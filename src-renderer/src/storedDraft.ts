/**
 * Text a user typed and has not submitted yet, kept in the browser's localStorage under `key`, so a
 * reload or leaving the view loses nothing (UI rule: nothing typed is lost). `valid` checks what is
 * read back: a value from an older version of the app, or edited by hand, is ignored, never loaded.
 */
export function storedDraft<T>(key: string, valid: (value: unknown) => value is T) {
  return {
    read(): T | null {
      try {
        const value: unknown = JSON.parse(localStorage.getItem(key) ?? 'null');
        return valid(value) ? value : null;
      } catch {
        return null;
      }
    },
    /** False when the browser refused to store it (storage full or disabled), so the caller can say so. */
    write(value: T): boolean {
      try {
        localStorage.setItem(key, JSON.stringify(value));
        return true;
      } catch {
        return false;
      }
    },
    clear(): void {
      try {
        localStorage.removeItem(key);
      } catch {
        // storage disabled: there is nothing stored to clear
      }
    },
  };
}
