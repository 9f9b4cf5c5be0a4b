import { registerStoreFactory, type StoreFactory } from '../store/open-store.js';

/**
 * Makes `openStore` accept `https://…` (and `http://` to a loopback host): a remote Ferry
 * instance run by `ferry serve`. Imported for its effect; the client code loads on first use so
 * commands that never touch a remote environment do not pay for it.
 */
const openRemote: StoreFactory = async (url, opts) => (await import('./client/open-remote-store.js')).openRemoteStore(url, opts);

registerStoreFactory('https:', openRemote);
registerStoreFactory('http:', openRemote);
