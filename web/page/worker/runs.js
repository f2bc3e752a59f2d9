// @ts-check
// runs.js — training runs kept in the browser (IndexedDB), so that a network survives a reload,
// a crashed tab or a closed laptop: one record per view (its key says what the view shows), put
// whole in one transaction, so a record is either the old one or the new one, never half.
// Used by the Worker, which saves at curve points and epoch ends. Not here: what a record holds
// (the Worker decides) or any page logic. Without IndexedDB (a private window, storage turned off,
// a file: URL) nothing is found, and keeping is refused with a reason the page tells the reader:
// the page works as before, only forgetting on reload.
const DB = 'nndl', STORE = 'runs', VERSION = 1;
let opened = null;

function database() {
  opened ??= new Promise((resolve) => {
    let request;
    try {
      request = indexedDB.open(DB, VERSION);
    } catch {
      return resolve(null);
    }
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'key' });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => resolve(null);
    request.onblocked = () => resolve(null);
  });
  return opened;
}

/** Runs fn(store) in a transaction; resolves to the request's result once it is committed. */
async function inStore(mode, fn) {
  const db = await database();
  if (!db) throw new Error('this browser keeps no data for this page: a private window, or storage turned off');
  return new Promise((resolve, reject) => {
    const tx = db.transaction(STORE, mode);
    const request = fn(tx.objectStore(STORE));
    tx.oncomplete = () => resolve(request.result);
    tx.onerror = () => reject(tx.error ?? new Error('the browser refused to keep the network'));
    tx.onabort = () => reject(tx.error ?? new Error('the browser refused to keep the network'));
  });
}

/** The record kept under key, or undefined. */
export const getRun = (key) => inStore('readonly', (s) => s.get(key)).catch(() => undefined);

/** Keeps a record ({ key, ... }), replacing the one before; rejects if the browser refuses
 * (full storage): the caller says so once and goes on training. */
export const putRun = (record) => inStore('readwrite', (s) => s.put(record));

/** Forgets the record under key (none: nothing to do). */
export const deleteRun = async (key) => (key ? inStore('readwrite', (s) => s.delete(key)).catch(() => undefined) : undefined);
